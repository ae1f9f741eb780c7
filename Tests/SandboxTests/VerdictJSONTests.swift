import Foundation
import Testing

@testable import Sandbox

@Suite("Verdict JSON")
struct VerdictJSONTests {
    @Test func everyKeyIsAlwaysPresent() throws {
        let data = try Verdict(outcome: .passed).jsonData()
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let keys: Set<String> = [
            "outcome", "exception", "failing_test", "tests", "exit_code", "signal", "syscall", "limit", "stdout",
            "stdout_truncated", "stdout_bytes", "stderr", "stderr_truncated", "stderr_bytes", "duration_ms", "cpu_ms",
            "max_rss_kb",
        ]
        #expect(Set(object.keys) == keys)
        #expect(object["exception"] is NSNull)
    }

    @Test func outcomesUseTheirPublicSpelling() {
        #expect(Outcome.syntaxError.rawValue == "syntax_error")
        #expect(Outcome.forbiddenSyscall.rawValue == "forbidden_syscall")
        #expect(Outcome.exitedEarly.rawValue == "exited_early")
        #expect(Outcome.sandboxError.rawValue == "sandbox_error")
    }

    @Test func roundTrip() async throws {
        let verdict = try await Fixtures.run("def f():\n    return 1\n", tests: "assert f() == 2\n")
        let decoded = try JSONDecoder().decode(Verdict.self, from: try verdict.jsonData())
        #expect(decoded.outcome == verdict.outcome)
        #expect(decoded.exception == verdict.exception)
        #expect(decoded.failingTest == verdict.failingTest)
        #expect(decoded.tests == verdict.tests)
        #expect(decoded.stdout == verdict.stdout)
    }

    @Test func harnessRecordsSurviveAnyText() {
        // The channel's framing is length-prefixed, so text with newlines,
        // colons and tildes cannot split a record.
        let text = "a:b\n~ 3\n"
        let bytes = Array("fail 11\n".utf8) + field("test") + field("1") + field("assertion_error") + field("AssertionError")
            + field(text) + field("test") + field("2") + field("assert x") + Array("~".utf8) + Array("~".utf8) + Array("~\n".utf8)
        let report = HarnessReport(parsing: bytes)
        #expect(report.failures.first?.message == text)
        #expect(report.failures.first?.line == 2)
        #expect(report.failures.first?.expected == nil)
    }

    @Test func aTruncatedRecordIsIgnored() {
        let report = HarnessReport(parsing: Array("ready 1\n6:3.11.2\ndone 3\n1:2".utf8))
        #expect(report.ready)
        #expect(!report.done)
    }

    private func field(_ text: String) -> [UInt8] {
        Array("\(text.utf8.count):".utf8) + Array(text.utf8)
    }
}
