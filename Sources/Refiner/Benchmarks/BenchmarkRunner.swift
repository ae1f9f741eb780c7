import Foundation
import Logging
import Sandbox

/// Runs the refinement loop over a suite, journaling every attempt; an
/// interrupted run resumes from its journal and loses nothing.
public struct BenchmarkRunner: Sendable {
    public var tasks: [BenchmarkTask]
    public var header: RunHeader
    public var loop: RefinementLoop
    public var runDirectory: URL
    /// Tasks solved at once (each with its own model requests and sandbox runs).
    public var concurrency: Int
    public var logger: Logger

    public init(
        tasks: [BenchmarkTask], header: RunHeader, loop: RefinementLoop, runDirectory: URL, concurrency: Int = 1,
        logger: Logger = Logger(label: "refine.bench")
    ) {
        self.tasks = tasks
        self.header = header
        self.loop = loop
        self.runDirectory = runDirectory
        self.concurrency = max(1, concurrency)
        self.logger = logger
    }

    /// Where the run stands, after each finished task.
    public struct Progress: Sendable {
        public var finished: Int
        public var total: Int
        /// Finished tasks whose returned attempt passed, and whose first did.
        public var passed: Int
        public var initiallyPassed: Int
        public var lastTask: String
        /// Tasks that were already finished when this session started.
        public var resumed: Int
    }

    /// Runs every unfinished task of every run, then returns the journal.
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> JournalContents {
        let (journal, existing) = try await JournalWriter.open(directory: runDirectory, header: header)
        defer { Task { try? await journal.close() } }
        let done = existing?.results ?? [:]
        let partial = existing?.attempts ?? [:]
        var pending: [(run: Int, task: BenchmarkTask)] = []
        for run in 0..<header.runs {
            for task in tasks where done[TaskKey(run: run, taskID: task.id)] == nil {
                pending.append((run, task))
            }
        }
        let total = header.runs * tasks.count
        let state = ProgressState(
            finished: done.count, passed: done.values.filter(\.finalPassed).count,
            initiallyPassed: done.values.filter(\.initialPassed).count, resumed: done.count)
        if done.count > 0 || !partial.isEmpty {
            logger.info("resuming", metadata: ["finished": "\(done.count)", "partial": "\(partial.count)"])
        }

        try await withThrowingTaskGroup(of: TaskResult.self) { group in
            var next = 0
            func schedule() {
                guard next < pending.count else { return }
                let (run, task) = pending[next]
                next += 1
                let recorded = partial[TaskKey(run: run, taskID: task.id)] ?? []
                group.addTask {
                    try await solve(task, run: run, recorded: recorded, journal: journal)
                }
            }
            for _ in 0..<concurrency {
                schedule()
            }
            while let result = try await group.next() {
                let snapshot = await state.record(result)
                progress(Progress(
                    finished: snapshot.finished, total: total, passed: snapshot.passed,
                    initiallyPassed: snapshot.initiallyPassed, lastTask: result.taskID, resumed: snapshot.resumed))
                schedule()
            }
        }
        try await journal.close()
        return try Journal.read(runDirectory: runDirectory)
    }

    private func solve(_ task: BenchmarkTask, run: Int, recorded: [Attempt], journal: JournalWriter) async throws -> TaskResult {
        var loop = self.loop
        // Repetitions differ by seed (they only differ at all when sampling).
        loop.settings.generatorSampling.seed += run
        loop.settings.refinerSampling.seed += run
        let clock = ContinuousClock()
        let start = clock.now
        let solution = try await loop.solve(task, resumingFrom: recorded) { attempt in
            try await journal.append(.attempt(run: run, taskID: task.id, attempt))
        }
        let earlier = recorded.map(\.wallSeconds).reduce(0, +)
        let first = solution.attempts[0]
        let final = solution.final
        let result = TaskResult(
            run: run, taskID: task.id, finalIteration: solution.finalIteration, stopReason: solution.stopReason,
            attemptCount: solution.attempts.count, initialLabel: first.label, finalLabel: final.label,
            initialPassed: first.passed, finalPassed: final.passed, wallSeconds: earlier + start.duration(to: clock.now).seconds)
        try await journal.append(.task(result))
        return result
    }
}

/// Counts shared by the tasks running at once.
private actor ProgressState {
    var finished: Int
    var passed: Int
    var initiallyPassed: Int
    let resumed: Int

    init(finished: Int, passed: Int, initiallyPassed: Int, resumed: Int) {
        self.finished = finished
        self.passed = passed
        self.initiallyPassed = initiallyPassed
        self.resumed = resumed
    }

    func record(_ result: TaskResult) -> (finished: Int, passed: Int, initiallyPassed: Int, resumed: Int) {
        finished += 1
        if result.finalPassed { passed += 1 }
        if result.initialPassed { initiallyPassed += 1 }
        return (finished, passed, initiallyPassed, resumed)
    }
}
