import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Every llama-server this process started and has not stopped, so an exit
/// path (Ctrl-C, SIGTERM, `exit()`) can stop them all without going through
/// actors that may be busy. Once shutting down, no new server may start.
final class LlamaServerRegistry: @unchecked Sendable {
    /// The process-wide registry the signal and exit hooks use.
    static let shared = LlamaServerRegistry()

    struct Entry: Sendable {
        let pid: Int32
        let exit: ProcessExit
    }

    private let lock = NSLock()
    private var entries: [UUID: Entry] = [:]
    private var shuttingDown = false

    /// Records a started server; false if the process is shutting down (the
    /// caller must then stop the server itself).
    func add(_ id: UUID, _ entry: Entry) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        guard !shuttingDown else { return false }
        entries[id] = entry
        return true
    }

    func remove(_ id: UUID) {
        lock.lock()
        entries[id] = nil
        lock.unlock()
    }

    var isShuttingDown: Bool {
        lock.lock()
        defer { lock.unlock() }
        return shuttingDown
    }

    var count: Int {
        lock.lock()
        defer { lock.unlock() }
        return entries.count
    }

    /// Forbids new starts and returns the live servers (they stay
    /// registered until stopped, so a second signal can still kill them).
    func beginShutdown() -> [UUID: Entry] {
        lock.lock()
        defer { lock.unlock() }
        shuttingDown = true
        return entries
    }

    /// SIGTERM, wait up to `gracePeriod`, SIGKILL: the same escalation as
    /// `LlamaServer.stop`, for servers that are no longer reachable via actors.
    static func terminate(_ entry: Entry, gracePeriod: Duration) async -> ExitStatus? {
        if let status = entry.exit.current { return status }
        kill(entry.pid, SIGTERM)
        if let status = await entry.exit.wait(timeout: gracePeriod) { return status }
        kill(entry.pid, SIGKILL)
        return await entry.exit.wait(timeout: .seconds(10))
    }

    /// Stops every live server at once (they shut down in parallel).
    func stopAll(gracePeriod: Duration) async {
        let live = beginShutdown()
        await withTaskGroup(of: Void.self) { group in
            for (id, entry) in live {
                group.addTask {
                    _ = await Self.terminate(entry, gracePeriod: gracePeriod)
                    self.remove(id)
                }
            }
        }
    }

    /// The last-resort, synchronous version for `atexit` and a second Ctrl-C:
    /// signals every live server, polls up to `gracePeriod`, then kills what
    /// is left.
    func stopAllSynchronously(gracePeriod: Duration) {
        let live = beginShutdown().filter { $0.value.exit.current == nil }
        guard !live.isEmpty else { return }
        for entry in live.values { kill(entry.pid, SIGTERM) }
        let deadline = ContinuousClock.now + gracePeriod
        while ContinuousClock.now < deadline, live.values.contains(where: { $0.exit.current == nil }) {
            usleep(20_000)
        }
        for (id, entry) in live {
            if entry.exit.current == nil { kill(entry.pid, SIGKILL) }
            remove(id)
        }
    }
}
