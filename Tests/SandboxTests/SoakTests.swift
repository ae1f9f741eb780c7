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
        let descriptors = HostProcesses.openDescriptors()
        let memory = HostProcesses.residentKilobytes()
        var failures = 0
        for _ in 0..<1000 where try await !sandbox.run(job).passed {
            failures += 1
        }
        #expect(failures == 0)
        // A run returns as soon as its verdict is known; its sandbox's last
        // descriptors close a moment later.
        let settled = ContinuousClock.now.advanced(by: .seconds(5))
        while HostProcesses.openDescriptors() > descriptors && ContinuousClock.now < settled {
            try await Task.sleep(for: .milliseconds(50))
        }
        #expect(HostProcesses.openDescriptors() <= descriptors)
        // Other suites may have runs in flight (their sandboxes are children
        // too); each ends within its limits. A leaked child never does.
        let deadline = ContinuousClock.now.advanced(by: .seconds(60))
        var remaining = HostProcesses.children()
        while !remaining.isEmpty && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
            remaining = remaining.filter { HostProcesses.children().contains($0) }
        }
        #expect(remaining.isEmpty, "children left behind: \(remaining)")
        let growth = HostProcesses.residentKilobytes() - memory
        #expect(growth < 16 * 1024, "resident memory grew by \(growth) kB over 1,000 runs")
    }
}
