import Sandbox

extension SandboxSummary {
    /// The policy a run recorded with these limits: the strict policy with
    /// the run's wall and CPU time, memory and interpreter. An audit runs
    /// under it, so a verdict is reproduced under the limits that made it.
    public var policy: SandboxPolicy {
        var policy = SandboxPolicy.strict
        policy.interpreter = interpreter
        policy.limits.wallTime = .milliseconds(Int64((wallSeconds * 1000).rounded(.up)))
        policy.limits.cpuSeconds = cpuSeconds
        policy.limits.addressSpaceBytes = memoryMegabytes << 20
        return policy
    }

    /// The limits of `policy`, as a journal header or a report states them.
    public init(policy: SandboxPolicy) {
        self.init(
            wallSeconds: policy.limits.wallTime.seconds, cpuSeconds: policy.limits.cpuSeconds,
            memoryMegabytes: policy.limits.addressSpaceBytes >> 20, interpreter: policy.interpreter)
    }
}
