import Foundation
import Logging
import Sandbox

/// Measures what the sandbox costs: every canonical solution of a suite
/// runs through the sandbox and, interleaved in the same run, through a
/// bare `python3` subprocess, so both see the same machine load.
public struct SandboxBenchmark: Sendable {
    /// The suite the tasks come from, named in the report.
    public var suite: BenchmarkSuite
    /// The tasks whose canonical solutions are run; the first ``warmupRuns``
    /// of them also serve as the warm-up.
    public var tasks: [BenchmarkTask]
    /// The policy measured (the strict one by default); its interpreter is
    /// also the one the bare runs use, so only the sandbox differs.
    public var policy: SandboxPolicy
    /// Runs of each kind before measuring (page cache, branch predictors).
    public var warmupRuns: Int
    /// Passes over the suite; more passes, steadier percentiles on a noisy
    /// machine.
    public var rounds: Int

    /// A benchmark; `rounds` below 1 is raised to 1. The sandbox runs one
    /// job at a time, so neither side's timings are contended by the other.
    public init(
        suite: BenchmarkSuite, tasks: [BenchmarkTask], policy: SandboxPolicy = .strict, warmupRuns: Int = 5, rounds: Int = 1
    ) {
        self.suite = suite
        self.tasks = tasks
        self.policy = policy
        self.warmupRuns = warmupRuns
        self.rounds = max(1, rounds)
    }

    /// Timing of one way of running the programs.
    public struct Measurement: Sendable, Codable, Hashable {
        /// Timed runs: tasks × rounds, warm-up excluded.
        public var executions: Int
        /// Executions per second of summed run time, one at a time (1 / mean
        /// duration); not a parallel throughput.
        public var perSecond: Double
        /// Median duration of one execution, in milliseconds (nearest rank).
        public var p50Milliseconds: Double
        /// 95th-percentile duration in milliseconds (nearest rank): the slow
        /// tail a loop over many tasks feels.
        public var p95Milliseconds: Double

        enum CodingKeys: String, CodingKey {
            case executions
            case perSecond = "per_second"
            case p50Milliseconds = "p50_ms"
            case p95Milliseconds = "p95_ms"
        }

        init(durations: [Duration]) {
            let milliseconds = durations.map { Double($0.components.seconds) * 1000 + Double($0.components.attoseconds) / 1e15 }
            let sorted = milliseconds.sorted()
            executions = sorted.count
            let total = sorted.reduce(0, +)
            perSecond = total > 0 ? Double(sorted.count) / (total / 1000) : 0
            p50Milliseconds = Self.percentile(sorted, 0.50)
            p95Milliseconds = Self.percentile(sorted, 0.95)
        }

        /// Nearest-rank percentile.
        static func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
            guard !sorted.isEmpty else { return 0 }
            let rank = Int((fraction * Double(sorted.count)).rounded(.up))
            return sorted[min(max(rank, 1), sorted.count) - 1]
        }
    }

    /// What `refine sandbox-bench` prints and writes as JSON: both
    /// measurements, their ratio, and any canonical solution that did not pass.
    public struct Report: Sendable, Codable, Hashable {
        /// The suite measured.
        public var suite: BenchmarkSuite
        /// Durations of ``Sandbox/run(_:)``, from the call to the classified
        /// verdict: what the refinement loop pays per execution.
        public var sandboxed: Measurement
        /// Durations of a plain `python3` subprocess running the same program,
        /// without any isolation: the baseline.
        public var bare: Measurement
        /// Sandboxed p50 over bare p50.
        public var ratio: Double
        /// Whether every canonical solution passed in the sandbox (first round):
        /// a sandbox that fails correct code is not measured fairly.
        public var allPassed: Bool
        /// The canonical solutions (task ids) whose verdict was not `passed`.
        public var notPassed: [String]
        /// What each of them got instead of `passed`.
        public var notPassedOutcomes: [String: Outcome]
        /// Canonical solutions that failed even without the sandbox.
        public var bareFailures: [String]

        enum CodingKeys: String, CodingKey {
            case suite, sandboxed, bare, ratio
            case allPassed = "all_passed"
            case notPassed = "not_passed"
            case notPassedOutcomes = "not_passed_outcomes"
            case bareFailures = "bare_failures"
        }
    }

    /// Runs the benchmark; `progress` hears about each finished task.
    public func run(progress: @Sendable (Int, Int) -> Void = { _, _ in }) async throws -> Report {
        let sandbox = try await Sandbox(policy: policy, maxConcurrentRuns: 1)
        let bare = try BarePythonRunner(interpreter: policy.interpreter)
        defer { bare.removeFiles() }

        for task in tasks.prefix(warmupRuns) {
            _ = try await sandbox.run(task.scoringJob(for: task.canonicalSolution))
            _ = try await BlockingIO.run { try bare.run(task.plainProgram(for: task.canonicalSolution), name: task.id) }
        }
        var sandboxedDurations: [Duration] = []
        var bareDurations: [Duration] = []
        var notPassed: [String] = []
        var notPassedOutcomes: [String: Outcome] = [:]
        var bareFailures: [String] = []
        let clock = ContinuousClock()
        let total = tasks.count * rounds
        for round in 0..<rounds {
            for (index, task) in tasks.enumerated() {
                func runBare() async throws {
                    let result = try await BlockingIO.run { try bare.run(task.plainProgram(for: task.canonicalSolution), name: task.id) }
                    bareDurations.append(result.duration)
                    if result.exitStatus != 0 && round == 0 { bareFailures.append(task.id) }
                }
                // Alternate which goes first, so neither always runs on a
                // machine just warmed (or just disturbed) by the other.
                let sandboxFirst = (round + index) % 2 == 0
                if !sandboxFirst {
                    try await runBare()
                }
                let start = clock.now
                let verdict = try await sandbox.run(task.scoringJob(for: task.canonicalSolution))
                sandboxedDurations.append(start.duration(to: clock.now))
                if !verdict.passed && round == 0 {
                    notPassed.append(task.id)
                    notPassedOutcomes[task.id] = verdict.outcome
                }
                if sandboxFirst {
                    try await runBare()
                }
                progress(round * tasks.count + index + 1, total)
            }
        }
        let sandboxed = Measurement(durations: sandboxedDurations)
        let plain = Measurement(durations: bareDurations)
        return Report(
            suite: suite, sandboxed: sandboxed, bare: plain,
            ratio: plain.p50Milliseconds > 0 ? sandboxed.p50Milliseconds / plain.p50Milliseconds : 0,
            allPassed: notPassed.isEmpty, notPassed: notPassed, notPassedOutcomes: notPassedOutcomes,
            bareFailures: bareFailures)
    }
}
