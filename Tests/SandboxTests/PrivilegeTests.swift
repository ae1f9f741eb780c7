import Foundation
import Testing

@testable import Sandbox

/// The sandbox works for an ordinary user, and says clearly why when the
/// kernel refuses user namespaces.
@Suite("Privileges")
struct PrivilegeTests {
    /// Runs `refine exec` as `nobody` (through setpriv when we are root; as
    /// ourselves otherwise, which is already unprivileged).
    @Test func anUnprivilegedUserGetsTheFullSandbox() async throws {
        let refine = try Fixtures.refineExecutable()
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let binary = directory.appendingPathComponent("refine")
        try FileManager.default.copyItem(at: refine, to: binary)
        let candidate = directory.appendingPathComponent("candidate.py")
        try Data("import os\nprint(os.getuid())\ndef f():\n    return 1\n".utf8).write(to: candidate)
        let tests = directory.appendingPathComponent("tests.py")
        try Data("assert f() == 1\n".utf8).write(to: tests)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
        for file in [candidate, tests] {
            try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: file.path)
        }
        let arguments = ["exec", candidate.path, "--test", tests.path, "--json"]
        let result =
            geteuid() == 0
            ? try await Fixtures.execute(
                "/usr/bin/setpriv",
                ["--reuid=65534", "--regid=65534", "--clear-groups", "--reset-env", "--", binary.path] + arguments)
            : try await Fixtures.execute(binary.path, arguments)
        #expect(result.status == 0, "stderr: \(result.stderr) stdout: \(result.stdout)")
        let verdict = try JSONDecoder().decode(Verdict.self, from: Data(result.stdout.utf8))
        #expect(verdict.outcome == .passed)
        #expect(verdict.stdout.text == "1000\n")
    }

    /// Inside a user namespace whose limit of nested user namespaces is 0,
    /// the kernel refuses ours: the error must say what is missing.
    @Test(.enabled(if: geteuid() == 0, "needs root to lower a namespace limit without touching the host's"))
    func refusedUserNamespacesGetAClearError() async throws {
        let refine = try Fixtures.refineExecutable()
        let directory = try Fixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let candidate = directory.appendingPathComponent("candidate.py")
        try Data("print(1)\n".utf8).write(to: candidate)
        let script = "echo 0 > /proc/sys/user/max_user_namespaces && exec \"$0\" exec \"$1\""
        let result = try await Fixtures.execute("/usr/bin/unshare", ["-U", "-r", "/bin/sh", "-c", script, refine.path, candidate.path])
        #expect(result.status == 3, "stdout: \(result.stdout) stderr: \(result.stderr)")
        #expect(result.stdout.contains("sandbox_error"))
        #expect(result.stdout.contains("user namespaces may be disabled"))
        #expect(result.stdout.contains("max_user_namespaces"))
    }

    @Test func noUserNamespaceNeedsRootOrFailsClearly() async throws {
        var policy = SandboxPolicy.strict
        policy.namespaces.remove(.user)
        if geteuid() == 0 {
            let verdict = try await Fixtures.run("import os\nprint(os.getuid())\n", policy: policy)
            #expect(verdict.outcome == .passed)
            #expect(verdict.stdout.text == "65534\n")
        } else {
            await #expect(throws: SandboxError.self) { _ = try await Sandbox(policy: policy) }
        }
    }

    @Test func everyNamespaceCanBeSwitchedOff() async throws {
        for namespace: Namespaces in [.pid, .network, .mount, .ipc, .uts] {
            var policy = SandboxPolicy.strict
            policy.namespaces.remove(namespace)
            let verdict = try await Fixtures.run("def f():\n    return 1\n", tests: "assert f() == 1\n", policy: policy)
            #expect(verdict.outcome == .passed, "without \(namespace): \(verdict.outcome)")
        }
    }
}
