import Sandbox

/// Why the common harnesses' label and ours differ for one execution,
/// computed by rules from the verdict (never guessed), so that each cell
/// off the confusion matrix's diagonal can be explained and checked.
public struct DisagreementReason: Sendable, Codable, Hashable {
    /// The rule that explains the difference, as a stable key.
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Our own machinery failed; the run says nothing about the code.
        case sandboxError = "sandbox_error"
        /// The sandbox stopped a flood of output: no traceback.
        case outputLimit = "output_limit"
        /// The system call filter stopped the program: no traceback.
        case syscallFilter = "syscall_filter"
        /// A signal killed the program: no traceback.
        case signal
        /// stderr was cut at the kept-bytes cap; its end was not kept.
        case stderrTruncated = "stderr_truncated"
        /// Exit status 0 although the program stopped before its end.
        case exitZeroEarly = "exit_zero_early"
        /// The program ended itself with a non-zero status, not by raising.
        case exitWithoutTraceback = "exit_without_traceback"
        /// The program printed a line naming another type to stderr.
        case foreignLine = "foreign_line"
        /// A later line of the exception's own message names another type.
        case messageLine = "message_line"
        /// A bare `assert`: `AssertionError` without a colon.
        case bareAssert = "bare_assert"
        /// An exception without a message: its bare name, no colon.
        case bareException = "bare_exception"
        /// Python printed the class with its module (`json.decoder.…`).
        case qualifiedName = "qualified_name"
        /// The class name does not end in Error, Exception or Warning.
        case unmatchedName = "unmatched_name"
        /// No rule above applies; the text states both sides.
        case other
    }

    /// Which rule applies, for grouping and for machines.
    public var kind: Kind
    /// The reason in one sentence, quoting the evidence.
    public var text: String

    /// A reason as given.
    public init(kind: Kind, text: String) {
        self.kind = kind
        self.text = text
    }

    /// The reason `label` (theirs) differs from `verdict` (ours) for the
    /// same script-mode execution. `testsFirstLine` is where the tests
    /// begin in the plain program, when it has tests.
    public init(verdict: Verdict, label: HarnessLabel, testsFirstLine: Int? = nil) {
        let typed = HarnessLabel.lastTypedLine(in: verdict.stderr.text)
        let labelSource: String
        switch label {
        case .passed: labelSource = "the harness counts any exit status 0 as a pass"
        case .unclassified: labelSource = "nothing on stderr names a type"
        default: labelSource = "the pattern took a line the program printed: `\(typed?.line ?? label.rawValue)`"
        }
        switch verdict.outcome {
        case .sandboxError:
            self.init(
                kind: .sandboxError,
                text: "our sandbox failed on this run (\(verdict.exception?.message ?? "no detail")): not a statement about the code")
        case .outputLimit:
            let stream = verdict.limit.map { " on \($0.rawValue)" } ?? ""
            self.init(
                kind: .outputLimit,
                text: "stopped at the output limit (too much output\(stream)): the sandbox killed it, so no traceback was printed; \(labelSource)")
        case .forbiddenSyscall:
            self.init(
                kind: .syscallFilter,
                text: "stopped by the system call filter at \(verdict.syscall ?? "a forbidden call"): killed without a traceback "
                    + "(an unsandboxed harness would have let the call run); \(labelSource)")
        case .crashed:
            let limit = verdict.limit == .fileSize ? " at the file-size limit" : ""
            self.init(
                kind: .signal, text: "killed by \(verdict.signal ?? "a signal")\(limit): no traceback; \(labelSource)")
        case .exitedEarly:
            self = Self.exitedEarly(verdict, label: label, labelSource: labelSource, testsFirstLine: testsFirstLine)
        case .syntaxError, .nameError, .importError, .typeError, .assertionError, .runtimeError, .memoryLimit:
            if let reason = Self.exceptionNotTaken(verdict, label: label, typed: typed, labelSource: labelSource) {
                self = reason
            } else {
                self = Self.other(verdict, label: label, labelSource: labelSource)
            }
        case .passed, .timeout:
            self = Self.other(verdict, label: label, labelSource: labelSource)
        }
    }

    private static func exitedEarly(
        _ verdict: Verdict, label: HarnessLabel, labelSource: String, testsFirstLine: Int?
    ) -> DisagreementReason {
        let status = verdict.exitCode.map(String.init) ?? "?"
        let raised = verdict.exception?.type == "SystemExit"
        var place = ""
        if let exception = verdict.exception, let line = exception.line {
            place = " at line \(line)"
            if let source = exception.sourceLine { place += " (`\(source)`)" }
            if let testsFirstLine {
                place += line < testsFirstLine ? " in the candidate's code" : " in the tests"
            }
        }
        let how = raised ? "sys.exit(\(status)) raised SystemExit\(place)" : "the process exited by itself (os._exit(\(status)))"
        if label == .passed {
            let skipped = testsFirstLine == nil ? "what followed did not run" : "the tests did not all run"
            return DisagreementReason(
                kind: .exitZeroEarly,
                text: "exit status 0 although the program stopped early: \(how) before the program's end, so \(skipped); "
                    + "the harness counts any exit status 0 as a pass")
        }
        return DisagreementReason(
            kind: .exitWithoutTraceback,
            text: "the program ended itself with status \(status) rather than by an uncaught exception (\(how)): "
                + "no traceback; \(labelSource)")
    }

    /// Why the pattern did not take our exception's own line, when a rule
    /// says so.
    private static func exceptionNotTaken(
        _ verdict: Verdict, label: HarnessLabel, typed: (index: Int, line: String, type: String)?, labelSource: String
    ) -> DisagreementReason? {
        guard let exception = verdict.exception else { return nil }
        let stderr = verdict.stderr
        if stderr.truncated {
            return DisagreementReason(
                kind: .stderrTruncated,
                text: "stderr was cut at the output cap (the first \(stderr.text.utf8.count) of \(stderr.totalBytes) bytes kept): "
                    + "the traceback at its end was not kept, so \(labelSource)")
        }
        let own = ownLineProblem(exception, stderr: stderr.text)
        if let typed, label != .unclassified {
            let messageLines = HarnessLabel.stderrLines(exception.message).dropFirst()
            if messageLines.contains(typed.line) {
                return DisagreementReason(
                    kind: .messageLine,
                    text: "a later line of the \(exception.type)'s own message, `\(typed.line)`, names another type, "
                        + "and the pattern takes the last matching line")
            }
            let why = own.map { ": " + $0.text } ?? ", which comes before it on stderr"
            return DisagreementReason(
                kind: .foreignLine,
                text: "the program printed `\(typed.line)` to stderr and the pattern took that line, "
                    + "not our \(exception.type)'s own\(why)")
        }
        return own
    }

    /// What keeps the pattern from our exception's own traceback line.
    private static func ownLineProblem(_ exception: ExceptionReport, stderr: String) -> DisagreementReason? {
        let name = exception.type
        if let printed = HarnessLabel.stderrLines(stderr).last(where: { isQualified($0, name: name) }) {
            return DisagreementReason(
                kind: .qualifiedName,
                text: "Python prints the class with its module (`\(printed)`): the pattern wants a bare name at the line's start")
        }
        let matchable = HarnessLabel.typeSuffixes.contains { name.hasSuffix($0) && name.count > $0.count }
        if !matchable {
            return DisagreementReason(
                kind: .unmatchedName,
                text: "the class name \(name) does not end in Error, Exception or Warning, so the pattern never takes it")
        }
        if exception.message.isEmpty {
            if name == "AssertionError", exception.sourceLine?.hasPrefix("assert") == true {
                return DisagreementReason(
                    kind: .bareAssert,
                    text: "a bare `assert` leaves `AssertionError` without a colon on stderr's last line: the pattern finds no type")
            }
            return DisagreementReason(
                kind: .bareException,
                text: "\(name) was raised without a message: Python prints the bare name, no colon, and the pattern finds no type")
        }
        return nil
    }

    /// `module.Name: …` or `module.Name` at the start of a line.
    private static func isQualified(_ line: String, name: String) -> Bool {
        let head = line.prefix { $0 != ":" }
        guard head.hasSuffix("." + name), head.count > name.count + 1 else { return false }
        return head.unicodeScalars.allSatisfy { $0 == "." || HarnessLabel.isWordCharacter($0) }
    }

    private static func other(_ verdict: Verdict, label: HarnessLabel, labelSource: String) -> DisagreementReason {
        let status = verdict.exitCode.map { "exit status \($0)" } ?? verdict.signal.map { "killed by \($0)" } ?? "no exit status"
        let ours = verdict.outcome.rawValue + (verdict.exception.map { " (\($0.type))" } ?? "")
        return DisagreementReason(
            kind: .other, text: "their rule gives \(label) (\(status); \(labelSource)); ours is \(ours)")
    }
}
