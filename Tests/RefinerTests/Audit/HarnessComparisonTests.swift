import Foundation
import Refiner
import Sandbox
import Testing

/// The common harnesses' rule, the agreement table, and the reasons for
/// disagreeing, on programs whose stderr and exit status are known.
@Suite("Harness comparison")
struct HarnessComparisonTests {
    @Test(arguments: [
        ("ValueError: bad value", "ValueError"),
        ("MyWarning: careful", "MyWarning"),
        ("ÄrgerException: ach", "ÄrgerException"),
        ("AssertionError", nil),
        ("AssertionError:", nil),
        ("ValueError:no space", nil),
        ("Error: no name before the suffix", nil),
        ("  ValueError: indented", nil),
        ("json.decoder.JSONDecodeError: Expecting value", nil),
        ("StopIteration: 3", nil),
    ] as [(String, String?)])
    func thePatternTakesOnlyABareTypedLine(line: String, type: String?) {
        #expect(HarnessLabel.typeName(inLine: line) == type)
    }

    @Test func theRuleReadsExitStatusThenTheLastTypedLine() {
        let stderr = "KeyError: 'first'\nTraceback (most recent call last):\nValueError: second\nAssertionError\n"
        #expect(HarnessLabel.classify(exitCode: 1, stderr: stderr, timedOut: false) == HarnessLabel("ValueError"))
        #expect(HarnessLabel.classify(exitCode: 0, stderr: stderr, timedOut: false) == .passed)
        #expect(HarnessLabel.classify(exitCode: nil, stderr: stderr, timedOut: true) == .timeout)
        #expect(HarnessLabel.classify(exitCode: 1, stderr: "AssertionError\n", timedOut: false) == .unclassified)
        #expect(HarnessLabel.classify(exitCode: nil, stderr: "", timedOut: false) == .unclassified)
    }

    @Test func agreementFollowsTheTable() {
        #expect(HarnessLabel.agreeing(with: .syntaxError, exceptionType: "IndentationError").contains(HarnessLabel("TabError")))
        #expect(HarnessLabel.agreeing(with: .nameError, exceptionType: "NameError").contains(HarnessLabel("UnboundLocalError")))
        #expect(HarnessLabel.agreeing(with: .runtimeError, exceptionType: "KeyError") == [HarnessLabel("KeyError")])
        #expect(HarnessLabel.agreeing(with: .exitedEarly, exceptionType: "SystemExit").isEmpty)
        #expect(HarnessLabel.agreeing(with: .timeout, exceptionType: nil) == [.timeout])
        #expect(!HarnessLabel("ValueError").agrees(with: Verdict(outcome: .typeError, exception: ExceptionReport(type: "TypeError", message: "x"))))
    }

    @Test func aBareAssertIsUnclassifiedByThem() async throws {
        let result = try await AuditFixtures.script("assert False\n")
        #expect(result.script.outcome == .assertionError)
        let label = HarnessLabel(observing: result.script)
        #expect(label == .unclassified)
        let reason = DisagreementReason(verdict: result.script, label: label)
        #expect(reason.kind == .bareAssert)
        #expect(reason.text.contains("bare `assert`"))

        let comparison = HarnessComparison(results: [result])
        #expect(comparison.agreements == 0)
        #expect(comparison.cells.map(\.theirs) == [.unclassified])
        #expect(comparison.disagreements.first?.reason.kind == .bareAssert)
        // The evidence keeps stderr's last line only, flagged as cut.
        let evidence = try #require(comparison.disagreements.first?.evidence)
        #expect(evidence.stderrLastLine == "AssertionError")
        #expect(evidence.verdict.stderr.truncated)
        #expect(evidence.verdict.stderr.totalBytes == result.script.stderr.totalBytes)
    }

    @Test func sysExitZeroBeforeTheTestsPassesForThem() async throws {
        let candidate = AuditCandidate(
            id: "exits", task: AuditFixtures.mbppTask, program: "import sys\ndef add(a, b):\n    return a - b\nsys.exit(0)\n")
        let result = try #require(try await AuditFixtures.audit().execute([candidate]).first)
        #expect(result.script.outcome == .exitedEarly)
        #expect(result.script.exitCode == 0)
        let label = HarnessLabel(observing: result.script)
        #expect(label == .passed)
        let reason = DisagreementReason(verdict: result.script, label: label, testsFirstLine: candidate.testsFirstLine)
        #expect(reason.kind == .exitZeroEarly)
        #expect(reason.text.contains("exit status 0 although the program stopped early"))
        #expect(reason.text.contains("line 4 (`sys.exit(0)`) in the candidate's code"))
        #expect(HarnessComparison(results: [result]).disagreements.first?.theirs == .passed)
    }

    @Test func aPrintedErrorLineIsTakenForTheType() async throws {
        let result = try await AuditFixtures.script(
            "import sys\nprint('SyntaxError: x', file=sys.stderr)\nassert 1 == 2\n")
        #expect(result.script.outcome == .assertionError)
        let label = HarnessLabel(observing: result.script)
        #expect(label == HarnessLabel("SyntaxError"))
        let reason = DisagreementReason(verdict: result.script, label: label)
        #expect(reason.kind == .foreignLine)
        #expect(reason.text.contains("printed `SyntaxError: x` to stderr"))
        #expect(reason.text.contains("not our AssertionError's own"))
        #expect(reason.text.contains("bare `assert`"))
    }

    @Test func aTimeoutAgrees() async throws {
        var policy = SandboxPolicy.strict
        policy.limits.wallTime = .seconds(1)
        policy.limits.cpuSeconds = 1
        let result = try await AuditFixtures.script("while True:\n    pass\n", policy: policy)
        #expect(result.script.outcome == .timeout)
        #expect(HarnessLabel(observing: result.script) == .timeout)
        let comparison = HarnessComparison(results: [result])
        #expect(comparison.agreements == 1)
        #expect(comparison.cells.map(\.ours) == [.timeout])
        #expect(comparison.cells.map(\.theirs) == [.timeout])
        #expect(comparison.cells.map(\.agreements) == [1])
        #expect(comparison.disagreements.isEmpty)
    }

    @Test func aModuleQualifiedClassIsUnclassified() async throws {
        let result = try await AuditFixtures.script("import json\njson.loads('x')\n")
        #expect(result.script.exception?.type == "JSONDecodeError")
        let label = HarnessLabel(observing: result.script)
        #expect(label == .unclassified)
        let reason = DisagreementReason(verdict: result.script, label: label)
        #expect(reason.kind == .qualifiedName)
        #expect(reason.text.contains("json.decoder.JSONDecodeError"))
    }

    @Test func aMessageLineNamingAnotherTypeIsExplained() async throws {
        let result = try await AuditFixtures.script("raise ValueError('bad\\nKeyError: 1')\n")
        let label = HarnessLabel(observing: result.script)
        #expect(label == HarnessLabel("KeyError"))
        #expect(DisagreementReason(verdict: result.script, label: label).kind == .messageLine)
    }

    @Test func plainExceptionsAgree() async throws {
        let audit = try await AuditFixtures.audit()
        let results = try await audit.execute([
            AuditCandidate(id: "zero", program: "1 / 0\n"),
            AuditCandidate(id: "name", program: "print(undefined)\n"),
            AuditCandidate(id: "ok", program: "print('fine')\n"),
        ])
        let comparison = HarnessComparison(results: results)
        #expect(comparison.agreements == 3)
        #expect(comparison.cells.map(\.theirs) == [.passed, HarnessLabel("NameError"), HarnessLabel("ZeroDivisionError")])
    }
}
