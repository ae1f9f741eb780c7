import Foundation
import Testing

/// `refine bench` refuses bad input with one line on stderr, exit status 2,
/// and no run folder left behind (the executable's tests live beside those
/// of `refine exec`, which share the way to find and run it).
@Suite("refine bench input")
struct BenchCommandLineTests {
    /// The datasets beside the checkout, which only the endpoint case needs
    /// (a run reads its tasks before it contacts any model).
    static let sharedDatasets = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        .deletingLastPathComponent().appendingPathComponent("shared/datasets")

    static func expectRefusal(
        _ arguments: [String], naming message: String, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let out = directory.appendingPathComponent("run")
        let result = try await Fixtures.execute(
            try Fixtures.refineExecutable().path, ["bench"] + arguments + ["--out", out.path])
        #expect(result.status == 2, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(result.stderr.hasPrefix("refine: error: "), sourceLocation: sourceLocation)
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)", sourceLocation: sourceLocation)
        #expect(!FileManager.default.fileExists(atPath: out.path), "no run folder is left", sourceLocation: sourceLocation)
    }

    @Test func anUnknownModelNamesTheChoices() async throws {
        try await Self.expectRefusal(
            ["humaneval", "--generator", "nope-7b"],
            naming: "unknown model 'nope-7b': use one of qwen2.5-coder-0.5b, qwen2.5-coder-1.5b, smollm2-135m")
    }

    @Test func aMissingModelFileIsNamed() async throws {
        try await Self.expectRefusal(
            ["humaneval", "--refiner", "/nonexistent/model.gguf"],
            naming: "model file /nonexistent/model.gguf does not exist")
    }

    @Test func aMissingDatasetSaysWhereToGetIt() async throws {
        try await Self.expectRefusal(
            ["mbpp", "--data", "/nonexistent"],
            naming: "/nonexistent/sanitized-mbpp.json is missing or unreadable")
    }

    @Test func aDatasetWithOtherBytesIsRefusedByItsHash() async throws {
        let data = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: data) }
        // A well-formed line, but not the published file.
        let line = #"{"task_id": "HumanEval/0", "prompt": "def f():\n", "entry_point": "f", "#
            + #""canonical_solution": "    return 1\n", "test": "def check(c):\n    assert c() == 1\n"}"#
        try Data((line + "\n").utf8).write(to: data.appendingPathComponent("HumanEval.jsonl"))
        let gzip = try await Fixtures.execute("/bin/gzip", [data.appendingPathComponent("HumanEval.jsonl").path])
        try #require(gzip.status == 0, "gzip: \(gzip.stderr)")
        try await Self.expectRefusal(
            ["humaneval", "--data", data.path],
            naming: "not the published b796127e635a67f93fb35c04f4cb03cf06f38c8072ee7cee8833d7bee06979ef")
    }

    @Test(.enabled(
        if: FileManager.default.fileExists(atPath: sharedDatasets.appendingPathComponent("HumanEval.jsonl.gz").path),
        "needs ../shared/datasets/HumanEval.jsonl.gz"))
    func anUnreachableEndpointIsNamed() async throws {
        // Port 1 on loopback: nothing listens there.
        try await Self.expectRefusal(
            ["humaneval", "--limit", "1", "--data", Self.sharedDatasets.path, "--endpoint", "http://127.0.0.1:1"],
            naming: "cannot reach the model server at http://127.0.0.1:1/health")
    }
}
