import Foundation
import Logging
import Sandbox

/// Runs the refinement loop over a suite, journaling every attempt; an
/// interrupted run resumes from its journal and loses nothing.
public struct BenchmarkRunner: Sendable {
    /// The tasks each run solves, scheduled in this order (the header's
    /// ``RunHeader/taskIDs``).
    public var tasks: [BenchmarkTask]
    /// What the run is: written as the journal's first line, and compared
    /// with an existing journal's header to resume it or refuse the folder.
    public var header: RunHeader
    /// Solves each task. Each repetition adds its run index to both sampling
    /// seeds, so repetitions differ when sampling (greedy decoding ignores
    /// seeds).
    public var loop: RefinementLoop
    /// The folder that holds the journal; running again on it resumes.
    public var runDirectory: URL
    /// Tasks solved at once (each with its own model requests and sandbox runs).
    public var concurrency: Int
    /// Receives the resume notice; per-task progress goes to the callback of
    /// ``run(progress:)``.
    public var logger: Logger

    /// A runner; `concurrency` below 1 is raised to 1. Nothing is read or
    /// written until ``run(progress:)``.
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
        /// Tasks finished over all runs, those of earlier sessions included.
        public var finished: Int
        /// Tasks to finish over all runs: runs × tasks.
        public var total: Int
        /// Finished tasks whose returned attempt passed; over ``finished``,
        /// the running pass@1.
        public var passed: Int
        /// Finished tasks whose first (generator) attempt passed: pass@1
        /// without refinement, for comparison.
        public var initiallyPassed: Int
        /// The id of the task that just finished ("HumanEval/12"), for a
        /// progress line.
        public var lastTask: String
        /// Tasks that were already finished when this session started.
        public var resumed: Int
    }

    /// Runs every unfinished task of every run, then returns the journal.
    public func run(progress: @escaping @Sendable (Progress) -> Void = { _ in }) async throws -> JournalContents {
        let (journal, existing) = try await JournalWriter.open(directory: runDirectory, header: header)
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

        do {
            try await solveAll(pending, partial: partial, journal: journal, state: state, total: total, progress: progress)
        } catch {
            try? await journal.close()
            throw error
        }
        try await journal.close()
        return try Journal.read(runDirectory: runDirectory)
    }

    private func solveAll(
        _ pending: [(run: Int, task: BenchmarkTask)], partial: [TaskKey: [Attempt]], journal: JournalWriter,
        state: ProgressState, total: Int, progress: @escaping @Sendable (Progress) -> Void
    ) async throws {
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
