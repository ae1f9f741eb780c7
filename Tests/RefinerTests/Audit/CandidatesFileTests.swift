import Foundation
import Refiner
import Sandbox
import Testing

/// Candidates from other tools: EvalPlus samples and plain programs.
@Suite("Audit of candidates files")
struct CandidatesFileTests {
    static func file(_ lines: [String]) throws -> CandidatesFile {
        try CandidatesFile(data: Data(lines.joined(separator: "\n").utf8), path: "samples.jsonl")
    }

    static func jsonLine(_ object: [String: String]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return String(decoding: try encoder.encode(object), as: UTF8.self)
    }

    @Test func evalPlusAndProgramLinesAreRead() throws {
        let file = try Self.file([
            try Self.jsonLine(["task_id": "HumanEval/900", "solution": "def add(a, b):\n    return a + b\n"]),
            "",
            try Self.jsonLine(["program": "print('hi')\n", "note": "extra keys are ignored"]),
            try Self.jsonLine(["task_id": "Mbpp/900", "solution": "def add(a, b):\n    return a + b\n"]),
        ])
        #expect(file.lines.map(\.number) == [1, 3, 4])
        #expect(file.lines.map(\.taskID) == ["HumanEval/900", nil, "Mbpp/900"])
        #expect(file.suites == [.humaneval, .mbpp])
        let candidates = try file.candidates(tasks: [AuditFixtures.humanEvalTask, AuditFixtures.mbppTask])
        #expect(candidates.map(\.id) == ["line 1 HumanEval/900", "line 3", "line 4 Mbpp/900"])
        #expect(candidates[0].plainProgram.hasSuffix("\ncheck(add)\n"))
        #expect(candidates[0].scoringJob?.entryPoint == "add")
        #expect(candidates[1].scoringJob == nil)
        #expect(candidates[1].plainProgram == "print('hi')\n")
    }

    @Test(arguments: [
        ("{\"task_id\": \"HumanEval/0\"}", "line 2 is not a candidate: expected"),
        ("{\"task_id\": \"HumanEval/0\", \"completion\": \"    return 1\"}", "line 2 is not a candidate: it has a completion but no solution"),
        ("not json at all", "line 2 is not a candidate: it is not valid JSON"),
        ("[1, 2]", "line 2 is not a candidate: it is not a JSON object"),
        ("{\"program\": 5}", "line 2 is not a candidate: \"program\" is not a string"),
        ("{\"task_id\": \"APPS/1\", \"solution\": \"x = 1\"}", "line 2 is not a candidate: task_id \"APPS/1\" is neither"),
        ("{\"task_id\": \"Mbpp/2\", \"solution\": \"x\", \"program\": \"y\"}", "line 2 is not a candidate: give either"),
    ])
    func aMalformedLineIsNamed(line: String, message: String) throws {
        do {
            _ = try Self.file(["{\"program\": \"print(1)\"}", line])
            Issue.record("a malformed line was accepted")
        } catch let error as AuditError {
            #expect(error.description.hasPrefix("samples.jsonl " + message), "\(error.description)")
        }
    }

    @Test func anEmptyFileAndAnUnknownTaskAreRefused() throws {
        #expect(throws: AuditError.self) { _ = try Self.file(["", "  "]) }
        let file = try Self.file([try Self.jsonLine(["task_id": "HumanEval/901", "solution": "x = 1"])])
        do {
            _ = try file.candidates(tasks: [AuditFixtures.humanEvalTask])
            Issue.record("an unknown task was accepted")
        } catch let error as AuditError {
            #expect(error.description == "samples.jsonl line 1 names task HumanEval/901, which the dataset does not hold")
        }
    }

    @Test func aCandidatesFileIsComparedWithoutReproduction() async throws {
        let file = try Self.file([
            // Fails check's first assert: a bare assert inside check.
            try Self.jsonLine(["task_id": "HumanEval/900", "solution": "def add(a, b):\n    return a * b\n"]),
            try Self.jsonLine(["program": "print('hi')\n"]),
        ])
        let report = try await AuditFixtures.audit().audit(candidates: file, tasks: [AuditFixtures.humanEvalTask])
        #expect(report.reproduction == nil)
        #expect(report.allReproduced)
        #expect(report.source.kind == .candidates)
        #expect(report.executed == 2)
        #expect(report.outcomes.map(\.outcome) == [.passed, .assertionError])
        // The task line's evidence comes from its scoring run: the failing test.
        #expect(report.outcomes.last?.examples.first?.verdict.failingTest?.index == 1)
        #expect(report.comparison.agreements == 1)
        let disagreement = try #require(report.comparison.disagreements.first)
        #expect(disagreement.evidence.candidate == "line 1 HumanEval/900")
        #expect(disagreement.theirs == .unclassified)
        #expect(disagreement.reason.kind == .bareAssert)
        #expect(report.text.contains("reproduction: not checked"))

        let json = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(report)) as? [String: Any]
        #expect(json?["reproduction"] is NSNull)
        #expect((json?["source"] as? [String: Any])?["left_out"] is NSNull)
    }
}
