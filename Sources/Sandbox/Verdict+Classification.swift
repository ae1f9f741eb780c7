import Foundation
import Glibc
internal import CSeccomp

extension Verdict {
    /// Decides the verdict from what the supervisor saw and what the harness
    /// said. Throws when the failure is ours: setup, the harness itself, or
    /// the interpreter dying before the harness ran the code.
    ///
    /// The harness's word counts only if it finished (`done`) and the
    /// program then exited normally; otherwise the way the program ended
    /// decides, and a run that did not finish is never `passed`.
    init(classifying facts: RunFacts, job: SandboxJob, prepared: PreparedPolicy) throws {
        let policy = prepared.policy
        if let failure = facts.reports.first(where: { $0.kind == .failed }) {
            throw SandboxError.childFailure(failure, policy: policy, plan: prepared.stepDescriptions)
        }
        let harness = HarnessReport(parsing: facts.channel, tests: job.tests, entryPoint: job.entryPoint)
        if let internalError = harness.internalError {
            throw SandboxError(.harnessFailed, "the harness failed: \(internalError)")
        }
        if let jobError = harness.jobError {
            throw SandboxError(.invalidJob, jobError)
        }
        let finished = facts.reports.first { $0.kind == .finished }
        let status = finished.map { ProgramStatus(waitStatus: $0.waitStatus) }

        self.init(outcome: .passed)
        stdout = facts.stdout.captured()
        stderr = facts.stderr.captured()
        durationMilliseconds = facts.duration.milliseconds
        cpuMilliseconds = Double(finished?.cpuMicroseconds ?? 0) / 1000
        tests = TestCount(passed: harness.passed, total: harness.total)
        maxResidentKilobytes = harness.peakResidentKilobytes
        exitCode = status?.exitCode
        signal = status?.signal.map(Self.signalName)
        let runningTest = harness.runningUnit.flatMap { harness.units[$0] }

        if let limit = facts.outputLimit {
            outcome = .outputLimit
            self.limit = limit
            failingTest = runningTest
            return
        }
        if harness.done && (status == nil || status?.exitCode == 0) {
            self.init(completed: harness, base: self)
            return
        }
        if job.mode == .script, harness.failures.first != nil, status?.exitCode != nil {
            // A script ends at its first uncaught exception, with status 1 (or
            // sys.exit's): that exception is the verdict.
            self.init(completed: harness, base: self)
            return
        }
        if !harness.ready && !facts.timedOut {
            throw SandboxError.interpreterDied(status: status, finished: finished, facts: facts, prepared: prepared)
        }
        if let finished, finished.reportedSyscall >= 0 {
            outcome = .forbiddenSyscall
            syscall = Self.syscallName(finished.reportedSyscall, arch: finished.reportedArch, native: prepared.nativeArch)
            limit = .syscallFilter
            failingTest = runningTest
            return
        }
        if facts.timedOut {
            outcome = .timeout
            limit = .wallTime
            failingTest = runningTest
            return
        }
        guard let status else {
            throw SandboxError(
                .setupFailed, "the sandbox's init ended without reporting on the program (wait status \(facts.initStatus))")
        }
        failingTest = runningTest
        if let signalNumber = status.signal {
            let cpuLimitMilliseconds = Double(policy.limits.cpuSeconds * 1000)
            switch signalNumber {
            case SIGXCPU:
                outcome = .timeout
                limit = .cpuTime
            case SIGKILL where cpuMilliseconds >= cpuLimitMilliseconds:
                // The hard CPU limit: the program ignored SIGXCPU.
                outcome = .timeout
                limit = .cpuTime
            case SIGSYS:
                outcome = .forbiddenSyscall
                limit = .syscallFilter
            case SIGXFSZ:
                outcome = .crashed
                limit = .fileSize
            default:
                outcome = .crashed
            }
            return
        }
        // It exited on its own before the harness finished: os._exit(), or
        // the code closed the verdict channel.
        outcome = .exitedEarly
    }

    /// The verdict of a run whose harness ran every test.
    private init(completed harness: HarnessReport, base: Verdict) {
        self = base
        guard let failure = harness.failures.first else {
            outcome = harness.passed == harness.total ? .passed : .exitedEarly
            return
        }
        exception = ExceptionReport(
            type: failure.type, message: failure.message, origin: failure.origin, line: failure.line,
            sourceLine: failure.sourceLine, expected: failure.expected, actual: failure.actual)
        if failure.phase == "test" {
            failingTest = harness.units[failure.unit]
        }
        switch failure.family {
        case "syntax_error": outcome = .syntaxError
        case "name_error": outcome = .nameError
        case "import_error": outcome = .importError
        case "type_error": outcome = .typeError
        case "assertion_error": outcome = .assertionError
        case "memory_error":
            outcome = .memoryLimit
            limit = .addressSpace
        case "exit": outcome = .exitedEarly
        default: outcome = .runtimeError
        }
        switch failure.errorNumber.map(Int32.init) {
        case EFBIG: limit = .fileSize
        case ENOSPC: limit = .workDirectory
        case EMFILE: limit = .openFiles
        default: break
        }
    }

    static func syscallName(_ number: Int32, arch: UInt32, native: UInt32) -> String {
        var buffer = [CChar](repeating: 0, count: 64)
        let known = refine_seccomp_syscall_name(arch, number, &buffer, buffer.count) == 0
        let name =
            known
            ? String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            : "syscall \(number)"
        if arch != native {
            return "\(name) (\(Self.archName(arch)) ABI)"
        }
        return name
    }

    private static func archName(_ arch: UInt32) -> String {
        switch arch {
        case 0x4000_0003: return "i386"
        case 0xC000_003E: return "x86_64"
        case 0xC000_00B7: return "aarch64"
        case 0x4000_0028: return "arm"
        default: return String(format: "0x%08x", arch)
        }
    }

    static func signalName(_ number: Int32) -> String {
        let names = [
            1: "SIGHUP", 2: "SIGINT", 3: "SIGQUIT", 4: "SIGILL", 5: "SIGTRAP", 6: "SIGABRT", 7: "SIGBUS", 8: "SIGFPE",
            9: "SIGKILL", 10: "SIGUSR1", 11: "SIGSEGV", 12: "SIGUSR2", 13: "SIGPIPE", 14: "SIGALRM", 15: "SIGTERM",
            16: "SIGSTKFLT", 17: "SIGCHLD", 18: "SIGCONT", 19: "SIGSTOP", 20: "SIGTSTP", 21: "SIGTTIN", 22: "SIGTTOU",
            23: "SIGURG", 24: "SIGXCPU", 25: "SIGXFSZ", 26: "SIGVTALRM", 27: "SIGPROF", 28: "SIGWINCH", 29: "SIGIO",
            30: "SIGPWR", 31: "SIGSYS",
        ]
        return names[Int(number)] ?? "SIG\(number)"
    }
}

/// A wait status, decoded.
struct ProgramStatus: Equatable {
    var exitCode: Int32?
    var signal: Int32?

    init(waitStatus: Int32) {
        if waitStatus & 0x7F == 0 {
            exitCode = (waitStatus >> 8) & 0xFF
        } else {
            signal = waitStatus & 0x7F
        }
    }
}

extension SandboxError {
    /// The interpreter ended before the harness read the job: the code never
    /// ran, so this is ours (a broken interpreter, a policy too strict for it).
    static func interpreterDied(
        status: ProgramStatus?, finished: ChildReport?, facts: RunFacts, prepared: PreparedPolicy
    ) -> SandboxError {
        let stderrLine =
            String(decoding: facts.stderr.kept, as: UTF8.self)
            .split(separator: "\n").last.map { ": \($0)" } ?? ""
        if let finished, finished.reportedSyscall >= 0 {
            let name = Verdict.syscallName(finished.reportedSyscall, arch: finished.reportedArch, native: prepared.nativeArch)
            return SandboxError(
                .interpreterFailed,
                "the interpreter made the forbidden system call \(name) before the harness started: "
                    + "the system call policy is too strict for \(prepared.policy.interpreter)")
        }
        let how: String
        switch (status?.exitCode, status?.signal) {
        case (let code?, _): how = "exited with status \(code)"
        case (_, let signal?): how = "was killed by \(Verdict.signalName(signal))"
        default: how = "ended"
        }
        return SandboxError(
            .interpreterFailed, "the interpreter \(how) before the harness started\(stderrLine)")
    }
}

extension Duration {
    var milliseconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }
}
