/// The structured account of one sandboxed run: what the code did, where,
/// how many tests passed, and what it cost.
///
/// Its JSON form (see ``Verdict/jsonData(prettyPrinted:)``) is a public
/// interface with stable snake_case keys; absent values are `null`, never
/// missing keys, so parsers can rely on the shape.
public struct Verdict: Sendable, Hashable {
    /// The label: what callers branch on, and the JSON's `outcome` key.
    public var outcome: Outcome
    /// The first failure, when it was a Python exception.
    public var exception: ExceptionReport?
    /// The test that failed first, or that was running when the run ended.
    public var failingTest: TestLocation?
    /// Tests passed out of tests found. Every test runs even after one
    /// fails, so `passed` counts them all, not the position of the first
    /// failure.
    public var tests: TestCount
    /// The program's exit status when it exited on its own.
    public var exitCode: Int32?
    /// The signal that ended the program ("SIGKILL"), when one did.
    public var signal: String?
    /// The system call the filter stopped, when it did.
    public var syscall: String?
    /// The limit the run ran into, when one mattered.
    public var limit: Limit?
    /// What the program wrote to stdout: the first
    /// ``ResourceLimits/outputKeptBytes``, whether there was more, and how much.
    public var stdout: CapturedOutput
    /// What the program wrote to stderr, kept like ``stdout``. Read a
    /// failure from ``exception`` rather than from here: the harness
    /// reports it itself, exactly.
    public var stderr: CapturedOutput
    /// Wall-clock time from spawn to the end of the sandbox.
    public var durationMilliseconds: Double
    /// User plus system CPU time of the program and the children it reaped.
    public var cpuMilliseconds: Double
    /// Peak resident memory of the interpreter, when the harness could
    /// measure it (a run that was killed cannot report it).
    public var maxResidentKilobytes: Int?

    /// A verdict assembled by hand, for tests and for tools that rebuild one
    /// (decoding uses it); the sandbox builds its own from what it observed.
    /// Everything but `outcome` defaults to absent, empty or zero.
    public init(
        outcome: Outcome, exception: ExceptionReport? = nil, failingTest: TestLocation? = nil,
        tests: TestCount = TestCount(passed: 0, total: 0), exitCode: Int32? = nil, signal: String? = nil,
        syscall: String? = nil, limit: Limit? = nil, stdout: CapturedOutput = .empty,
        stderr: CapturedOutput = .empty, durationMilliseconds: Double = 0, cpuMilliseconds: Double = 0,
        maxResidentKilobytes: Int? = nil
    ) {
        self.outcome = outcome
        self.exception = exception
        self.failingTest = failingTest
        self.tests = tests
        self.exitCode = exitCode
        self.signal = signal
        self.syscall = syscall
        self.limit = limit
        self.stdout = stdout
        self.stderr = stderr
        self.durationMilliseconds = durationMilliseconds
        self.cpuMilliseconds = cpuMilliseconds
        self.maxResidentKilobytes = maxResidentKilobytes
    }

    /// A verdict standing for a failure of our own machinery, so that tools
    /// that record verdicts (journals, audits) can record it without blaming
    /// the code.
    public init(sandboxError error: SandboxError) {
        self.init(outcome: .sandboxError, exception: ExceptionReport(type: "SandboxError", message: error.description))
    }

    /// Whether the code passed every test.
    public var passed: Bool { outcome == .passed }
}

/// The first exception, located in the candidate's or the tests' code.
public struct ExceptionReport: Sendable, Hashable, Codable {
    /// The exact class (`ZeroDivisionError`, `IndentationError`).
    public var type: String
    /// `str()` of the exception (a `SyntaxError`'s `msg`), truncated; empty
    /// for a bare `assert`.
    public var message: String
    /// `candidate` or `test`: where the innermost frame in either's code was.
    public var origin: Origin?
    /// Line within that code (the candidate's or the tests'), 1-based.
    public var line: Int?
    /// The text of ``line``, stripped and truncated, so a reader sees the
    /// failing code without the sources.
    public var sourceLine: String?
    /// For a failing comparison (`assert f(x) == y`): the repr of the side
    /// that was expected and of the one the code produced, truncated.
    public var expected: String?
    /// The repr of what the code produced, beside ``expected``; nil when the
    /// failure was not a comparison.
    public var actual: String?

    /// A report assembled by hand (tests, decoding); the sandbox builds its
    /// own from what the harness reported.
    public init(
        type: String, message: String, origin: Origin? = nil, line: Int? = nil, sourceLine: String? = nil,
        expected: String? = nil, actual: String? = nil
    ) {
        self.type = type
        self.message = message
        self.origin = origin
        self.line = line
        self.sourceLine = sourceLine
        self.expected = expected
        self.actual = actual
    }

    /// Whose code the failure happened in. Calling the entry point counts as
    /// test code.
    public enum Origin: String, Sendable, Hashable, Codable {
        /// The innermost frame was the candidate's: it raised while running its
        /// own code.
        case candidate
        /// The innermost frame was the tests': a failing `assert`, or an error
        /// at the call itself (a wrong argument count) before the candidate's
        /// code ran.
        case test
    }

    enum CodingKeys: String, CodingKey {
        case type, message, origin, line
        case sourceLine = "source_line"
        case expected, actual
    }
}

/// A test: one top-level assert statement (MBPP style) or one top-level
/// statement of `check`'s body that contains an assert (HumanEval style).
public struct TestLocation: Sendable, Hashable, Codable {
    /// 1-based position among the tests.
    public var index: Int
    /// First line of the test within the tests' code.
    public var line: Int
    /// The test's source (truncated when long).
    public var source: String

    /// A location assembled by hand; the sandbox builds its own from the
    /// line ranges the harness reports.
    public init(index: Int, line: Int, source: String) {
        self.index = index
        self.line = line
        self.source = source
    }
}

/// How many tests passed out of how many.
public struct TestCount: Sendable, Hashable, Codable {
    /// Tests that ran to the end without an exception.
    public var passed: Int
    /// Tests found in the job's tests; 0 without tests, or when the run
    /// ended before the harness listed them.
    public var total: Int

    /// A count, as decoded or built by hand; `passed` is at most `total`.
    public init(passed: Int, total: Int) {
        self.passed = passed
        self.total = total
    }
}

/// Output kept from one stream: at most the policy's kept bytes.
public struct CapturedOutput: Sendable, Hashable {
    /// The kept bytes, decoded as UTF-8 (invalid bytes replaced).
    public var text: String
    /// Whether the program wrote more than was kept.
    public var truncated: Bool
    /// How many bytes the program wrote in all.
    public var totalBytes: Int

    /// Captured output; the sandbox fills it from the program's pipes.
    public init(text: String, truncated: Bool, totalBytes: Int) {
        self.text = text
        self.truncated = truncated
        self.totalBytes = totalBytes
    }

    /// Nothing written: the default for a verdict built by hand.
    public static let empty = CapturedOutput(text: "", truncated: false, totalBytes: 0)
}

/// The limit a run ran into.
public enum Limit: String, Sendable, Hashable, Codable, CaseIterable {
    /// ``ResourceLimits/wallTime``: the supervisor killed the sandbox
    /// (outcome `timeout`).
    case wallTime = "wall_time"
    /// ``ResourceLimits/cpuSeconds``: SIGXCPU, or the SIGKILL a second later
    /// (outcome `timeout`).
    case cpuTime = "cpu_time"
    /// ``ResourceLimits/addressSpaceBytes``: an allocation failed and Python
    /// raised `MemoryError` (outcome `memory_limit`).
    case addressSpace = "address_space"
    /// ``ResourceLimits/outputLimitBytes`` on stdout (outcome `output_limit`).
    case stdout
    /// ``ResourceLimits/outputLimitBytes`` on stderr (outcome `output_limit`).
    case stderr
    /// The harness's own channel overflowed (the code wrote into it).
    case verdictChannel = "verdict_channel"
    /// ``ResourceLimits/fileSizeBytes``: a write failed with `EFBIG` (the
    /// exception's outcome), or SIGXFSZ ended the program (`crashed`).
    case fileSize = "file_size"
    /// ``ResourceLimits/workDirectoryBytes``: the private tmpfs was full and a
    /// write failed with `ENOSPC`.
    case workDirectory = "work_directory"
    /// ``ResourceLimits/openFiles``: opening one more descriptor failed with
    /// `EMFILE`.
    case openFiles = "open_files"
    /// The system call filter stopped or killed the program (outcome
    /// `forbidden_syscall`; ``Verdict/syscall`` names a stopped call).
    case syscallFilter = "syscall_filter"
}
