import Foundation
import Glibc
internal import CSeccomp

/// What the supervisor observed of one run, before any interpretation.
struct RunFacts: Sendable {
    var stdout = StreamCapture()
    var stderr = StreamCapture()
    /// The harness's records, as written on the verdict channel.
    var channel: [UInt8] = []
    var channelOverflowed = false
    /// Records init wrote on the report pipe.
    var reports: [ChildReport] = []
    /// init's own wait status (its exit code is not the program's).
    var initStatus: Int32 = 0
    var timedOut = false
    var outputLimit: Limit?
    var cancelled = false
    var duration: Duration = .zero
}

/// The first bytes of one output stream and how many there were in all.
struct StreamCapture: Sendable {
    var kept: [UInt8] = []
    var total = 0

    mutating func append(_ bytes: UnsafeRawBufferPointer, keeping limit: Int) {
        total += bytes.count
        let room = limit - kept.count
        if room > 0 {
            kept.append(contentsOf: bytes.prefix(room))
        }
    }

    func captured() -> CapturedOutput {
        CapturedOutput(text: String(decoding: kept, as: UTF8.self), truncated: total > kept.count, totalBytes: total)
    }
}

/// A record from init: a setup failure, or how the program ended.
struct ChildReport: Sendable {
    enum Kind: Sendable { case failed, finished }
    var kind: Kind
    var stage: refine_stage
    var errorNumber: Int32
    var step: Int32
    var waitStatus: Int32
    var reportedSyscall: Int32
    var reportedArch: UInt32
    var cpuMicroseconds: Int64
    var maxResidentKilobytes: Int64
}

/// Runs one job: spawns the sandbox, pumps its pipes, enforces the wall
/// clock and the output caps, and reaps it. Blocking, so it runs on a
/// thread of its own and never on the cooperative pool; the init process
/// is tied to that thread's life.
final class RunSupervisor: @unchecked Sendable {
    private let cancelPipe: (read: Int32, write: Int32)
    private let cancelLock = NSLock()
    private var cancelWriteOpen = true

    init() throws {
        var fds: [Int32] = [-1, -1]
        let result = refine_pipe_cloexec(&fds)
        guard result == 0 else {
            throw SandboxError(.resourceUnavailable, errno: result, "cannot create a pipe")
        }
        cancelPipe = (fds[0], fds[1])
    }

    deinit {
        close(cancelPipe.read)
        closeCancelWriter()
    }

    /// Asks a running (or not yet started) run to stop; safe from any thread.
    func cancel() {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        if cancelWriteOpen {
            var byte: UInt8 = 1
            _ = write(cancelPipe.write, &byte, 1)
        }
    }

    private func closeCancelWriter() {
        cancelLock.lock()
        defer { cancelLock.unlock() }
        if cancelWriteOpen {
            close(cancelPipe.write)
            cancelWriteOpen = false
        }
    }

    /// Runs the job until its verdict is known. Throws only for failures of
    /// our own. The verdict is known once init reports how the program
    /// ended; init's own exit (tearing down the namespaces takes a while)
    /// is then awaited by the returned `finish`, which the caller runs after
    /// handing the facts on.
    func run(_ prepared: PreparedPolicy, payload: [UInt8]) throws -> (facts: RunFacts, finish: () -> Void) {
        var facts = RunFacts()
        if isCancelRequested() {
            facts.cancelled = true
            return (facts, {})
        }
        let limits = prepared.policy.limits

        let pipes = try Pipe.make(count: 3)
        let (output, errors, channel) = (pipes[0], pipes[1], pipes[2])
        let job = refine_memory_file("refine-job", payload, payload.count)
        guard job >= 0 else {
            pipes.forEach { $0.closeBoth() }
            throw SandboxError(.resourceUnavailable, errno: -job, "cannot create the job file")
        }

        let mappings = [
            refine_fd_mapping(source: prepared.nullDescriptor, target: 0),
            refine_fd_mapping(source: output.write, target: 1),
            refine_fd_mapping(source: errors.write, target: 2),
            refine_fd_mapping(source: channel.write, target: 3),
            refine_fd_mapping(source: job, target: 4),
        ]
        var process = refine_sandbox_process()
        var failedStage = REFINE_STAGE_NONE
        let clock = ContinuousClock()
        let start = clock.now
        let spawnResult = mappings.withUnsafeBufferPointer { buffer -> Int32 in
            var config = prepared.baseConfig
            config.fds = buffer.baseAddress
            config.fd_count = UInt32(buffer.count)
            return refine_sandbox_spawn(&config, &process, &failedStage)
        }
        // Only the child keeps the write ends: end of file then means the
        // sandbox is gone.
        close(output.write)
        close(errors.write)
        close(channel.write)
        close(job)
        guard spawnResult == 0 else {
            close(output.read)
            close(errors.read)
            close(channel.read)
            throw SandboxError.spawnFailure(stage: failedStage, errno: spawnResult)
        }
        var handedOver = false
        var initExited = false
        defer {
            if !handedOver {
                if !initExited {
                    // Leaving early (a failure of ours): the sandbox goes first,
                    // then the memory its processes run on.
                    _ = refine_sandbox_kill(process.pidfd)
                    var status: Int32 = 0
                    _ = refine_sandbox_reap(process.pidfd, &status)
                }
                close(process.pidfd)
                close(process.lifeline_fd)
                refine_sandbox_release(&process)
            }
        }

        let deadline = start.advanced(by: limits.wallTime)
        var reportBytes: [UInt8] = []
        var open: [Int32] = [output.read, errors.read, channel.read, process.report_fd]
        for fd in open {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        var reported = false
        var killed = false
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 8)
        defer { buffer.deallocate() }

        func killSandbox() {
            if !killed {
                _ = refine_sandbox_kill(process.pidfd)
                killed = true
            }
        }

        /// Reads what is available on `fd`; returns false at end of file.
        func drain(_ fd: Int32) -> Bool {
            while true {
                let count = read(fd, buffer.baseAddress, buffer.count)
                if count < 0 {
                    return errno == EAGAIN || errno == EINTR
                }
                if count == 0 {
                    return false
                }
                let bytes = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                switch fd {
                case output.read:
                    facts.stdout.append(bytes, keeping: limits.outputKeptBytes)
                    if facts.stdout.total > limits.outputLimitBytes && facts.outputLimit == nil {
                        facts.outputLimit = .stdout
                        killSandbox()
                    }
                case errors.read:
                    facts.stderr.append(bytes, keeping: limits.outputKeptBytes)
                    if facts.stderr.total > limits.outputLimitBytes && facts.outputLimit == nil {
                        facts.outputLimit = .stderr
                        killSandbox()
                    }
                case channel.read:
                    if facts.channel.count + count > Self.channelLimit {
                        facts.channelOverflowed = true
                        if facts.outputLimit == nil {
                            facts.outputLimit = .verdictChannel
                        }
                        killSandbox()
                    } else {
                        facts.channel.append(contentsOf: bytes)
                    }
                default:
                    reportBytes.append(contentsOf: bytes)
                    reported = reportBytes.count >= MemoryLayout<refine_sandbox_report>.size
                }
            }
        }

        while !open.isEmpty || !(initExited || reported) {
            var watched = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            let pidIndex = watched.count
            if !initExited {
                watched.append(pollfd(fd: process.pidfd, events: Int16(POLLIN), revents: 0))
            }
            let cancelIndex = watched.count
            watched.append(pollfd(fd: cancelPipe.read, events: Int16(POLLIN), revents: 0))

            var timeout: Int32 = -1
            if !killed {
                let remaining = clock.now.duration(to: deadline)
                if remaining <= .zero {
                    facts.timedOut = true
                    killSandbox()
                } else {
                    let (seconds, attoseconds) = remaining.components
                    timeout = Int32(clamping: seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)
                }
            }
            if initExited || reported {
                // The program is gone: what it wrote is in the pipes now.
                // Another process of the sandbox (a daemon) may keep a pipe
                // open until init exits: do not wait for it.
                timeout = 0
            }
            let ready = poll(&watched, nfds_t(watched.count), timeout)
            if ready < 0 {
                if errno == EINTR { continue }
                killSandbox()
                throw SandboxError(.resourceUnavailable, errno: errno, "poll failed while supervising a run")
            }
            if ready == 0 && (initExited || reported) {
                break
            }
            if watched[cancelIndex].revents != 0 {
                var byte: UInt8 = 0
                _ = read(cancelPipe.read, &byte, 1)
                facts.cancelled = true
                killSandbox()
            }
            var stillOpen: [Int32] = []
            for (index, fd) in open.enumerated() {
                if watched[index].revents == 0 || drain(fd) {
                    stillOpen.append(fd)
                } else {
                    close(fd)
                }
            }
            open = stillOpen
            if !initExited && watched[pidIndex].revents != 0 {
                var status: Int32 = 0
                let reaped = refine_sandbox_reap(process.pidfd, &status)
                guard reaped == 0 else {
                    throw SandboxError(.resourceUnavailable, errno: reaped, "cannot reap the sandbox")
                }
                facts.initStatus = status
                facts.duration = start.duration(to: clock.now)
                initExited = true
            }
        }
        if !initExited {
            facts.duration = start.duration(to: clock.now)
        }
        for fd in open {
            close(fd)
        }
        facts.reports = Self.parseReports(reportBytes)
        guard !initExited else {
            return (facts, {})
        }
        handedOver = true
        let exiting = process
        return (facts, { Self.awaitExit(exiting) })
    }

    /// Waits for an init that has reported and is exiting, then reaps it and
    /// releases what it ran on. It exits right after its report; should it
    /// not within a few seconds, it is killed.
    private static func awaitExit(_ process: refine_sandbox_process) {
        var process = process
        let pidfd = process.pidfd
        var watched = pollfd(fd: pidfd, events: Int16(POLLIN), revents: 0)
        var ready: Int32
        repeat {
            ready = poll(&watched, 1, 5000)
        } while ready < 0 && errno == EINTR
        if ready == 0 {
            _ = refine_sandbox_kill(pidfd)
        }
        var status: Int32 = 0
        _ = refine_sandbox_reap(pidfd, &status)
        close(pidfd)
        close(process.lifeline_fd)
        refine_sandbox_release(&process)
    }

    /// Far more than the harness ever writes: only code writing into the
    /// channel itself gets near it.
    static let channelLimit = 4 << 20

    private func isCancelRequested() -> Bool {
        var watched = pollfd(fd: cancelPipe.read, events: Int16(POLLIN), revents: 0)
        return poll(&watched, 1, 0) > 0
    }

    private static func parseReports(_ bytes: [UInt8]) -> [ChildReport] {
        let size = MemoryLayout<refine_sandbox_report>.size
        var reports: [ChildReport] = []
        var offset = 0
        while offset + size <= bytes.count {
            let record = bytes.withUnsafeBytes { raw in
                raw.loadUnaligned(fromByteOffset: offset, as: refine_sandbox_report.self)
            }
            offset += size
            reports.append(
                ChildReport(
                    kind: record.kind == Int32(REFINE_REPORT_FAILED.rawValue) ? .failed : .finished,
                    stage: refine_stage(rawValue: UInt32(bitPattern: record.stage)),
                    errorNumber: record.error_number,
                    step: record.step,
                    waitStatus: record.wait_status,
                    reportedSyscall: record.reported_syscall,
                    reportedArch: record.reported_arch,
                    cpuMicroseconds: record.user_microseconds + record.system_microseconds,
                    maxResidentKilobytes: record.max_rss_kilobytes))
        }
        return reports
    }
}

/// A close-on-exec pipe.
struct Pipe {
    let read: Int32
    let write: Int32

    /// `count` pipes, or none: a failure closes the ones already made.
    static func make(count: Int) throws -> [Pipe] {
        var pipes: [Pipe] = []
        for _ in 0..<count {
            var fds: [Int32] = [-1, -1]
            let result = refine_pipe_cloexec(&fds)
            guard result == 0 else {
                pipes.forEach { $0.closeBoth() }
                throw SandboxError(.resourceUnavailable, errno: result, "cannot create a pipe")
            }
            pipes.append(Pipe(read: fds[0], write: fds[1]))
        }
        return pipes
    }

    func closeBoth() {
        close(read)
        close(write)
    }
}
