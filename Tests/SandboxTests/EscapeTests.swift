import Foundation
import Glibc
import Testing

@testable import Sandbox

/// Containment: each test has the code try to get out, and checks from the
/// host that it did not.
@Suite("Escapes")
struct EscapeTests {
    @Test func writesOutsideTheWorkDirectoryFailAndNothingReachesTheHost() async throws {
        let marker = "refine-escape-\(UUID().uuidString)"
        let hostTemporary = "/tmp/\(marker)"
        let code = """
            import os
            results = []
            for path in ['/\(marker)', '/usr/\(marker)', '/etc/\(marker)', '/root/\(marker)', '/work/\(marker)']:
                try:
                    open(path, 'w').write('x')
                    results.append('wrote ' + path)
                except OSError as error:
                    results.append(type(error).__name__)
            open('/tmp/\(marker)', 'w').write('inside')
            open('\(marker)', 'w').write('inside')
            print(results)
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .passed)
        #expect(!verdict.stdout.text.contains("wrote"))
        for path in ["/\(marker)", "/usr/\(marker)", "/etc/\(marker)", "/root/\(marker)", hostTemporary] {
            #expect(!FileManager.default.fileExists(atPath: path), "\(path) appeared on the host")
        }
    }

    @Test func theHostSymlinkTheCodeCreatesIsNeverFollowed() async throws {
        // The work directory is a tmpfs that vanishes with the run; the host
        // never opens a path inside it.
        let target = "/tmp/refine-escape-target-\(UUID().uuidString)"
        let code = "import os\nos.symlink('\(target)', 'link')\nopen('link', 'w').write('x')\n"
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .passed)
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func etcShadowAndHomeDirectoriesAreNotVisible() async throws {
        let code = """
            import os
            for path in ['/etc/shadow', '/etc/ssh', '/root', '/home']:
                try:
                    print(path, open(path).read() if os.path.isfile(path) else os.listdir(path))
                except OSError as error:
                    print(path, type(error).__name__)
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.stdout.text.contains("/etc/shadow FileNotFoundError"))
        #expect(verdict.stdout.text.contains("/root FileNotFoundError"))
        #expect(verdict.stdout.text.contains("/home FileNotFoundError"))
        if let shadow = try? String(contentsOfFile: "/etc/shadow", encoding: .utf8),
            let rootLine = shadow.split(separator: "\n").first
        {
            #expect(!verdict.stdout.text.contains(rootLine))
        }
    }

    @Test(arguments: [false, true])
    func aLoopbackListenerOnTheHostSeesNoConnection(socketsAllowed: Bool) async throws {
        let listener = try LoopbackListener()
        defer { listener.close() }
        var policy = SandboxPolicy.strict
        if socketsAllowed {
            // Without the seccomp rule, the network namespace alone must hold.
            policy.syscalls.denied.removeAll { $0.syscall == "socket" }
        }
        let code = """
            import socket
            try:
                connection = socket.create_connection(('127.0.0.1', \(listener.port)), timeout=2)
                connection.sendall(b'escaped')
                print('connected')
            except OSError as error:
                print(type(error).__name__, error.errno)
            """
        let verdict = try await Fixtures.run(code, policy: policy)
        #expect(!verdict.stdout.text.contains("connected"))
        #expect(listener.acceptedConnections() == 0)
    }

    @Test func aForkBombEndsWithinItsLimitsAndLeavesNothing() async throws {
        // Every process of the bomb carries a unique name (children inherit
        // it), so the host can look for survivors among all its processes.
        let name = "rfb\(UInt32.random(in: 100_000...999_999))"
        let clock = ContinuousClock()
        let start = clock.now
        let verdict = try await Fixtures.run(
            "import os\nopen('/proc/self/comm', 'w').write('\(name)')\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n",
            policy: Fixtures.quick(wallSeconds: 3))
        #expect(start.duration(to: clock.now) < .seconds(10))
        #expect(verdict.outcome != .passed)
        #expect(HostProcesses.named(name).isEmpty)
    }

    @Test func theProcessLimitHoldsInsideTheSandbox() async throws {
        var policy = SandboxPolicy.strict
        policy.limits.processes = 16
        let code = """
            import os, time
            children = 0
            try:
                for _ in range(100):
                    if os.fork() == 0:
                        time.sleep(5)
                        os._exit(0)
                    children += 1
            except OSError as error:
                print(children, type(error).__name__)
            """
        let verdict = try await Fixtures.run(code, policy: policy)
        let fields = verdict.stdout.text.split(separator: " ")
        #expect(fields.count == 2)
        #expect((Int(fields.first ?? "") ?? 100) < 16)
        #expect(fields.last == "BlockingIOError\n")
    }

    @Test func killingEveryProcessCannotReachTheHost() async throws {
        let bystander = Process()
        bystander.executableURL = URL(fileURLWithPath: "/bin/sleep")
        bystander.arguments = ["30"]
        try bystander.run()
        defer { bystander.terminate() }
        let code = "import os, signal\nos.kill(-1, signal.SIGKILL)\nprint(os.getpid())\n"
        _ = try await Fixtures.run(code)
        #expect(bystander.isRunning)
        #expect(kill(bystander.processIdentifier, 0) == 0)
    }

    @Test func aDaemonDiesWithTheRun() async throws {
        let name = "rfd\(UInt32.random(in: 100_000...999_999))"
        let code = """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    open('/proc/self/comm', 'w').write('\(name)')
                    time.sleep(2)
                    print('daemon still alive', flush=True)
                    os._exit(0)
                os._exit(0)
            time.sleep(0.2)
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .passed)
        // The verdict returns as soon as it is known; the sandbox's init then
        // exits, and the kernel kills what is left in its pid namespace.
        let torn = ContinuousClock.now.advanced(by: .seconds(1))
        while !HostProcesses.named(name).isEmpty && ContinuousClock.now < torn {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(HostProcesses.named(name).isEmpty)
        try await Task.sleep(for: .milliseconds(2500))
        #expect(HostProcesses.named(name).isEmpty)
        #expect(!verdict.stdout.text.contains("daemon still alive"))
    }

    @Test func theParentsEnvironmentIsNotReadable() async throws {
        let secret = "refine-secret-\(UUID().uuidString)"
        setenv("REFINE_TEST_SECRET", secret, 1)
        defer { unsetenv("REFINE_TEST_SECRET") }
        let code = """
            import os
            print(dict(os.environ))
            for pid in ['1', str(os.getppid()), 'self']:
                try:
                    print(open('/proc/%s/environ' % pid, 'rb').read())
                except OSError as error:
                    print(pid, type(error).__name__)
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .passed)
        #expect(!verdict.stdout.text.contains(secret))
        #expect(!verdict.stdout.text.contains("REFINE_TEST_SECRET"))
    }

    @Test func ptraceIsStopped() async throws {
        let code = """
            import ctypes
            libc = ctypes.CDLL(None, use_errno=True)
            PTRACE_ATTACH = 16
            print(libc.ptrace(PTRACE_ATTACH, 1, 0, 0))
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .forbiddenSyscall)
        #expect(verdict.syscall == "ptrace")
    }

    @Test func tiocstiIsStopped() async throws {
        let code = """
            import fcntl, termios
            fcntl.ioctl(0, termios.TIOCSTI, b'x')
            """
        let verdict = try await Fixtures.run(code)
        #expect(verdict.outcome == .forbiddenSyscall)
        #expect(verdict.syscall == "ioctl")
    }

    @Test func anotherUserNamespaceIsStopped() async throws {
        let verdict = try await Fixtures.run("import ctypes\nctypes.CDLL(None).unshare(0x10000000)\n")
        #expect(verdict.outcome == .forbiddenSyscall)
        #expect(verdict.syscall == "unshare")
    }

    @Test func foreignABICallsAreStopped() async throws {
        // getpid through the x32 ABI (the x32 bit set on the number).
        #if arch(x86_64)
            let code = "import ctypes\nlibc = ctypes.CDLL(None)\nlibc.syscall(0x40000000 | 39)\nprint('survived')\n"
            let verdict = try await Fixtures.run(code)
            #expect(verdict.outcome == .forbiddenSyscall)
            #expect(!verdict.stdout.text.contains("survived"))
        #endif
    }

    @Test func fillingTheDiskStopsAtTheWorkDirectoryLimit() async throws {
        var before = statvfs()
        statvfs("/", &before)
        var policy = SandboxPolicy.strict
        policy.limits.workDirectoryBytes = 16 << 20
        let code = """
            import os
            index = 0
            try:
                while True:
                    with open('fill%d' % index, 'wb') as f:
                        f.write(b'x' * (1 << 20))
                    index += 1
            finally:
                info = os.statvfs('.')
                print(index, info.f_blocks * info.f_frsize)
            """
        let verdict = try await Fixtures.run(code, policy: policy)
        #expect(verdict.outcome == .runtimeError)
        #expect(verdict.exception?.type == "OSError")
        #expect(verdict.limit == .workDirectory)
        let fields = verdict.stdout.text.split(separator: " ").compactMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(fields.count == 2)
        #expect((fields.first ?? 100) <= 16)
        #expect(fields.last == 16 << 20)
        // Had the writes reached the host disk they would not have stopped at
        // 16 MB; other processes write too, hence the margin.
        var after = statvfs()
        statvfs("/", &after)
        let lostBytes = (Int(before.f_bavail) - Int(after.f_bavail)) * Int(after.f_frsize)
        #expect(lostBytes < 256 << 20, "the host disk lost \(lostBytes) bytes")
    }

    @Test func printingGigabytesIsCutOffWithoutBufferingIt() async throws {
        let before = HostProcesses.residentKilobytes()
        let verdict = try await Fixtures.run(
            "import sys\nchunk = 'y' * (1 << 20)\nfor _ in range(4096):\n    sys.stdout.write(chunk)\n")
        #expect(verdict.outcome == .outputLimit)
        #expect(verdict.stdout.text.utf8.count == SandboxPolicy.strict.limits.outputKeptBytes)
        #expect(HostProcesses.residentKilobytes() - before < 64 * 1024)
    }

    @Test func ignoringSIGTERMDoesNotOutliveTheLimit() async throws {
        let code = "import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nwhile True:\n    time.sleep(1)\n"
        let verdict = try await Fixtures.run(code, policy: Fixtures.quick(wallSeconds: 1))
        #expect(verdict.outcome == .timeout)
        #expect(verdict.durationMilliseconds < 4000)
    }

    @Test func closingEveryDescriptorIsNeverAPass() async throws {
        let verdict = try await Fixtures.run(
            "import os\ndef f():\n    return 1\nos.closerange(0, 4096)\n", tests: "assert f() == 1\n")
        #expect(verdict.outcome != .passed)
        #expect(verdict.outcome == .exitedEarly)
    }

    @Test func theProgramIsNeverRoot() async throws {
        let verdict = try await Fixtures.run("import os\nprint(os.getuid(), os.geteuid(), os.getgid())\n")
        #expect(verdict.stdout.text == "1000 1000 1000\n")
    }
}

/// A listening TCP socket on 127.0.0.1 that counts who connected.
final class LoopbackListener: @unchecked Sendable {
    let descriptor: Int32
    let port: UInt16

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) }
        }
        guard fd >= 0, bound == 0, listen(fd, 16) == 0 else { throw FixtureError("cannot listen on loopback") }
        withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { _ = getsockname(fd, $0, &length) }
        }
        descriptor = fd
        port = UInt16(bigEndian: address.sin_port)
    }

    func acceptedConnections() -> Int {
        var count = 0
        while true {
            let connection = accept(descriptor, nil, nil)
            guard connection >= 0 else { return count }
            Glibc.close(connection)
            count += 1
        }
    }

    func close() {
        Glibc.close(descriptor)
    }
}

/// What the host's /proc says.
enum HostProcesses {
    static func pids() -> [Int32] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
    }

    static func count() -> Int { pids().count }

    static func named(_ name: String) -> [Int32] {
        pids().filter { pid in
            (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines) == name
        }
    }

    /// Children of this process (direct), from /proc/*/stat.
    static func children(of parent: Int32 = getpid()) -> [Int32] {
        pids().filter { pid in
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            return fields.count > 2 && Int32(fields[1]) == parent
        }
    }

    /// Children that are sandboxes: with the pid namespace on (the strict
    /// policy), a sandbox's init lives in a pid namespace of its own, unlike
    /// the other children of this process (llama-server, chromium, fakes).
    static func sandboxChildren() -> [Int32] {
        let namespace = { (pid: String) in
            try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/ns/pid")
        }
        let own = namespace("self")
        return children().filter { pid in
            guard let theirs = namespace("\(pid)") else { return false }
            return theirs != own
        }
    }

    static func openDescriptors() -> Int {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []).count
    }

    static func residentKilobytes() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
        for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
            return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        }
        return 0
    }
}
