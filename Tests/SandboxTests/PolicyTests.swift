import Foundation
import Testing

@testable import Sandbox

@Suite("Policy")
struct PolicyTests {
    @Test func aMissingInterpreterIsOurErrorWithItsPath() async throws {
        var policy = SandboxPolicy.strict
        policy.interpreter = "/opt/no-such-python"
        let error = await #expect(throws: SandboxError.self) { _ = try await Sandbox(policy: policy) }
        #expect(error?.code == .interpreterFailed)
        #expect(error?.description.contains("/opt/no-such-python") == true)
    }

    @Test func impossibleLimitsAreRejected() async throws {
        var policy = SandboxPolicy.strict
        policy.limits.outputKeptBytes = 100
        policy.limits.outputLimitBytes = 10
        await #expect(throws: SandboxError.self) { _ = try await Sandbox(policy: policy) }
    }

    @Test func aMissingReadOnlyPathIsRejected() async throws {
        var policy = SandboxPolicy.strict
        policy.filesystem.extraReadOnlyPaths = ["/no/such/folder"]
        await #expect(throws: SandboxError.self) { _ = try await Sandbox(policy: policy) }
    }

    @Test func aMisspelledDenialIsRejectedByName() async throws {
        var policy = SandboxPolicy.strict
        policy.syscalls.denied.append(SyscallRule("ptarce", .stop))
        let error = await #expect(throws: SandboxError.self) { _ = try await Sandbox(policy: policy) }
        #expect(error?.code == .invalidPolicy)
        #expect(error?.description.contains("\"ptarce\"") == true)
    }

    @Test func callsOnlyOtherArchitecturesHaveAreLeftOut() async throws {
        // socketcall exists on i386 and arm, not on x86_64 or aarch64.
        var policy = SandboxPolicy.strict
        policy.syscalls.allowed.insert("socketcall")
        policy.syscalls.denied.append(SyscallRule("socketcall", .stop))
        let verdict = try await Fixtures.run("print('ran')\n", policy: policy)
        #expect(verdict.outcome == .passed)
        #expect(verdict.stdout.text == "ran\n")
    }

    @Test func extraReadOnlyPathsAreVisibleAndReadOnly() async throws {
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data("shared data\n".utf8).write(to: directory.appendingPathComponent("data.txt"))
        var policy = SandboxPolicy.strict
        policy.filesystem.extraReadOnlyPaths = [directory.path]
        let code = """
            print(open('\(directory.path)/data.txt').read(), end='')
            try:
                open('\(directory.path)/new.txt', 'w')
            except OSError as error:
                print(type(error).__name__)
            """
        let verdict = try await Fixtures.run(code, policy: policy)
        #expect(verdict.stdout.text == "shared data\nOSError\n")
        #expect(!FileManager.default.fileExists(atPath: directory.appendingPathComponent("new.txt").path))
    }

    @Test func deniedCallsCanFailInsteadOfStopping() async throws {
        let verdict = try await Fixtures.run(
            "import ctypes, os\nlibc = ctypes.CDLL(None, use_errno=True)\nprint(libc.ptrace(0, 0, 0, 0), ctypes.get_errno())\n",
            policy: .lenient)
        #expect(verdict.outcome == .passed)
        #expect(verdict.stdout.text == "-1 1\n")
    }

    @Test func manyRunsAtOnceStayCorrect() async throws {
        let sandbox = try await Sandbox(policy: .strict, maxConcurrentRuns: 4)
        let verdicts = try await withThrowingTaskGroup(of: (Int, Verdict).self) { group in
            for value in 0..<24 {
                group.addTask {
                    (value, try await sandbox.run(SandboxJob(candidate: "print(\(value) * 2)\n")))
                }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        for (value, verdict) in verdicts {
            #expect(verdict.stdout.text == "\(value * 2)\n")
        }
        #expect(verdicts.count == 24)
    }
}
