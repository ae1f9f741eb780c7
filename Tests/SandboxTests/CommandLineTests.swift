import Foundation
import Testing

@testable import Sandbox

/// `refine exec` as a user meets it: exit statuses, JSON, and one-line
/// errors for bad input that leave nothing behind.
@Suite("refine exec")
struct CommandLineTests {
    static func write(_ contents: [UInt8], name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(contents).write(to: url)
        return url.path
    }

    static func refine(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        try await Fixtures.execute(try Fixtures.refineExecutable().path, arguments)
    }

    @Test func exitStatusesFollowTheOutcome() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let candidate = try Self.write(Array("def f():\n    return 1\n".utf8), name: "c.py", in: directory)
        let passing = try Self.write(Array("assert f() == 1\n".utf8), name: "pass.py", in: directory)
        let failing = try Self.write(Array("assert f() == 2\n".utf8), name: "fail.py", in: directory)

        let passed = try await Self.refine(["exec", candidate, "--test", passing, "--json"])
        #expect(passed.status == 0)
        #expect(try JSONDecoder().decode(Verdict.self, from: Data(passed.stdout.utf8)).outcome == .passed)

        let failed = try await Self.refine(["exec", candidate, "--test", failing])
        #expect(failed.status == 1)
        #expect(failed.stdout.contains("assertion_error"))
        #expect(failed.stdout.contains("expected    2"))

        let ours = try await Self.refine(["exec", candidate, "--python", "/nonexistent/python3", "--json"])
        #expect(ours.status == 3)
        #expect(try JSONDecoder().decode(Verdict.self, from: Data(ours.stdout.utf8)).outcome == .sandboxError)
    }

    @Test(arguments: [
        ("missing", "does not exist"),
        ("empty", "is empty"),
        ("binary", "is not valid UTF-8 (invalid byte at offset 6)"),
        ("directory", "is a directory"),
    ])
    func badInputGetsOneLine(kind: String, message: String) async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path: String
        switch kind {
        case "missing": path = directory.appendingPathComponent("nope.py").path
        case "empty": path = try Self.write(Array("  \n".utf8), name: "empty.py", in: directory)
        case "binary": path = try Self.write(Array("print(".utf8) + [0xFF, 0xFE] + Array(")\n".utf8), name: "bad.py", in: directory)
        default: path = directory.path
        }
        let before = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        let result = try await Self.refine(["exec", path])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("refine: error: "))
        #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
        #expect(result.stderr.split(separator: "\n").count == 1)
        #expect(result.stdout.isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() == before)
    }

    @Test func badOptionsAreUsageErrors() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let candidate = try Self.write(Array("x = 1\n".utf8), name: "c.py", in: directory)
        let negativeTimeout = try await Self.refine(["exec", candidate, "--timeout", "-1"])
        #expect(negativeTimeout.status == 2)
        let tinyMemory = try await Self.refine(["exec", candidate, "--memory", "1"])
        #expect(tinyMemory.status == 2)
        let tests = try Self.write(Array("def check(c):\n    assert c\n".utf8), name: "t.py", in: directory)
        let badEntry = try await Self.refine(["exec", candidate, "--test", tests, "--entry-point", "not an identifier"])
        #expect(badEntry.status == 2)
        #expect(badEntry.stderr.contains("is not a Python identifier"))
    }
}
