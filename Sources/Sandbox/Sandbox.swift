import Foundation
import Logging

/// Runs untrusted Python under namespaces, rlimits and seccomp, and returns
/// a precise ``Verdict`` of what it did.
///
/// ```swift
/// let sandbox = try await Sandbox()                 // the strict policy
/// let verdict = try await sandbox.run(SandboxJob(
///     candidate: "def add(a, b): return a + b",
///     tests: "assert add(1, 2) == 3"))
/// print(verdict.outcome)                            // .passed
/// ```
///
/// A `Sandbox` compiles its policy once (filters, root file system plan)
/// and is cheap to share: many runs may be in flight at once, up to
/// `maxConcurrentRuns`; the others wait their turn. Runs are supervised on
/// dedicated threads, never on the cooperative pool, and cancelling the
/// calling task kills the run's whole process tree.
public struct Sandbox: Sendable {
    /// The policy every run uses, as given. It was validated and compiled
    /// once, at init, and cannot change: make another `Sandbox` for another
    /// policy.
    public let policy: SandboxPolicy
    private let prepared: PreparedPolicy
    private let limiter: RunLimiter
    private let logger: Logger

    /// Compiles `policy`: its filters, its root file system plan, and the
    /// harness into bytecode for its interpreter (once, so runs do not pay
    /// for it). Throws a ``SandboxError`` when it cannot be built here
    /// (missing interpreter, unknown system call, no root for a sandbox
    /// without a user namespace).
    public init(
        policy: SandboxPolicy = .strict, maxConcurrentRuns: Int = ProcessInfo.processInfo.activeProcessorCount,
        logger: Logger = Logger(label: "refine.sandbox")
    ) async throws {
        try PreparedPolicy.validate(policy)
        let harness =
            policy.namespaces.contains(.mount)
            ? try await runOnOwnThread { try HarnessProgram.compile(with: policy.interpreter) }
            : HarnessProgram(bytecode: nil)
        self.policy = policy
        self.prepared = try PreparedPolicy(policy, harness: harness)
        self.limiter = RunLimiter(slots: max(1, maxConcurrentRuns))
        self.logger = logger
    }

    /// Runs `job` and returns what the code did. Throws ``SandboxError`` for
    /// failures of our own and `CancellationError` when the task is
    /// cancelled; everything the code did is a verdict.
    public func run(_ job: SandboxJob) async throws -> Verdict {
        try Self.validate(job)
        let payload = Self.payload(for: job)
        try await limiter.acquire()
        let facts: RunFacts
        do {
            facts = try await supervise(payload)
        } catch {
            await limiter.release()
            logger.debug("sandboxed run failed", metadata: ["error": "\(error)"])
            throw error
        }
        await limiter.release()
        if facts.cancelled {
            throw CancellationError()
        }
        let verdict = try Verdict(classifying: facts, job: job, prepared: prepared)
        logger.debug(
            "sandboxed run finished",
            metadata: [
                "outcome": "\(verdict.outcome.rawValue)",
                "tests": "\(verdict.tests.passed)/\(verdict.tests.total)",
                "duration_ms": "\(verdict.durationMilliseconds)",
            ])
        return verdict
    }

    private func supervise(_ payload: [UInt8]) async throws -> RunFacts {
        let supervisor = try RunSupervisor()
        let prepared = self.prepared
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                let thread = Thread {
                    do {
                        let (facts, finish) = try supervisor.run(prepared, payload: payload)
                        continuation.resume(returning: facts)
                        // The sandbox's teardown is not the caller's wait.
                        finish()
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "refine-sandbox-run"
                thread.stackSize = 1 << 20
                thread.start()
            }
        } onCancel: {
            supervisor.cancel()
        }
    }

    static func validate(_ job: SandboxJob) throws {
        if job.mode == .script && (job.tests != nil || job.entryPoint != nil) {
            throw SandboxError(.invalidJob, "a script runs alone: give its tests inside the program, not as tests")
        }
        if let entryPoint = job.entryPoint, !isPythonIdentifier(entryPoint) {
            throw SandboxError(.invalidJob, "the entry point \(entryPoint.debugDescription) is not a Python identifier")
        }
    }

    static func isPythonIdentifier(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first,
            first == "_" || first.properties.isXIDStart
        else { return false }
        return name.unicodeScalars.dropFirst().allSatisfy { $0 == "_" || $0.properties.isXIDContinue }
    }

    /// The job as the harness reads it from fd 4: netstrings.
    static func payload(for job: SandboxJob) -> [UInt8] {
        var bytes: [UInt8] = []
        for field in [job.candidate, job.tests ?? "", job.entryPoint ?? "", job.runAsMain ? "1" : "0", job.mode.rawValue] {
            let utf8 = Array(field.utf8)
            bytes.append(contentsOf: Array("\(utf8.count):".utf8))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: ","))
        }
        return bytes
    }
}

/// Runs blocking work on a thread of its own, so that the cooperative pool
/// never waits on a child process.
func runOnOwnThread<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
    try await withCheckedThrowingContinuation { continuation in
        let thread = Thread {
            do {
                continuation.resume(returning: try work())
            } catch {
                continuation.resume(throwing: error)
            }
        }
        thread.name = "refine-sandbox"
        thread.stackSize = 1 << 20
        thread.start()
    }
}
