import Foundation
import Testing

@testable import Sandbox

@Suite("Soak", .serialized)
struct SoakTests {
    /// A thousand runs in a row leave no descriptors, children or memory
    /// behind in the supervising process.
    @Test func aThousandSequentialRunsLeakNothing() async throws {
        let sandbox = try await Sandbox(policy: .strict, maxConcurrentRuns: 1)
        let job = SandboxJob(candidate: "def f(x):\n    return x + 1\n", tests: "assert f(1) == 2\n")
        for _ in 0..<50 {
            #expect(try await sandbox.run(job).passed)
        }
        // The check for leaked sandboxes below sees one while it runs.
        let sleeper = Task { try await sandbox.run(SandboxJob(candidate: "import time\ntime.sleep(2)\n", tests: "")) }
        var seen = false
        for _ in 0..<30 where !seen {
            try await Task.sleep(for: .milliseconds(50))
            seen = !HostProcesses.sandboxChildren().isEmpty
        }
        #expect(seen, "a running sandbox's init is among sandboxChildren()")
        _ = try await sleeper.value
        let descriptors = HostProcesses.openDescriptors()
        let memory = HostProcesses.residentKilobytes()
        var failures = 0
        for _ in 0..<1000 where try await !sandbox.run(job).passed {
            failures += 1
        }
        #expect(failures == 0)
        // A run returns as soon as its verdict is known; its sandbox's last
        // descriptors close a moment later. Other suites in this process open
        // and close descriptors meanwhile (servers, sockets, browsers), hence
        // the small allowance: a leak of one per run would show as 1,000.
        let allowance = 16
        let settled = ContinuousClock.now.advanced(by: .seconds(5))
        while HostProcesses.openDescriptors() > descriptors + allowance && ContinuousClock.now < settled {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(HostProcesses.openDescriptors() <= descriptors + allowance)
        // Only sandboxes count: other suites' children (llama-server,
        // chromium, Python fakes) may outlive the wait on a loaded machine.
        // Sandboxes of other suites' runs in flight end within their limits;
        // a leaked one never does.
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var remaining = HostProcesses.sandboxChildren()
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            remaining = remaining.filter { HostProcesses.sandboxChildren().contains($0) }
        }
        #expect(remaining.isEmpty, "children left behind: \(remaining)")
        let growth = HostProcesses.residentKilobytes() - memory
        #expect(growth < 16 * 1024, "resident memory grew by \(growth) kB over 1,000 runs")
    }
}
