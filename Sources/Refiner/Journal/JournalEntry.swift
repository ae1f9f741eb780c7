import Foundation

/// One line of a run's journal (JSON Lines). The journal is the single
/// source of truth: summaries, audits and reports are computed from it.
public enum JournalEntry: Sendable {
    /// The run's configuration: always the first line.
    case header(RunHeader)
    /// One attempt on one task.
    case attempt(run: Int, taskID: String, Attempt)
    /// A task finished: which attempt the loop returned, and why it stopped.
    case task(TaskResult)
    /// The run was resumed here, by this command.
    case resumed(at: Date, command: String)
}

/// The end of one task in one run.
public struct TaskResult: Sendable, Codable, Hashable {
    /// The 0-based repetition.
    public var run: Int
    /// The task's id.
    public var taskID: String
    /// The iteration of the attempt the loop returned (0: the generator's);
    /// its score is the task's result.
    public var finalIteration: Int
    /// Why the loop stopped on this task.
    public var stopReason: RefinementLoop.StopReason
    /// Attempts made (1 = no refinement).
    public var attemptCount: Int
    /// The first (generator's) attempt's label: an outcome's raw value, or
    /// `no_code`.
    public var initialLabel: String
    /// The returned attempt's label; the same as `initialLabel` when the
    /// first attempt was kept.
    public var finalLabel: String
    /// Whether the first attempt passed every scoring test: pass@1 without
    /// refinement.
    public var initialPassed: Bool
    /// Whether the returned attempt passed every scoring test: the loop's
    /// pass@1.
    public var finalPassed: Bool
    /// Time spent on the task, over all sessions.
    public var wallSeconds: Double

    /// A result, as the runner writes it when a task finishes.
    public init(
        run: Int, taskID: String, finalIteration: Int, stopReason: RefinementLoop.StopReason, attemptCount: Int,
        initialLabel: String, finalLabel: String, initialPassed: Bool, finalPassed: Bool, wallSeconds: Double
    ) {
        self.run = run
        self.taskID = taskID
        self.finalIteration = finalIteration
        self.stopReason = stopReason
        self.attemptCount = attemptCount
        self.initialLabel = initialLabel
        self.finalLabel = finalLabel
        self.initialPassed = initialPassed
        self.finalPassed = finalPassed
        self.wallSeconds = wallSeconds
    }

    enum CodingKeys: String, CodingKey {
        case run
        case taskID = "task_id"
        case finalIteration = "final_iteration"
        case stopReason = "stop_reason"
        case attemptCount = "attempt_count"
        case initialLabel = "initial_label"
        case finalLabel = "final_label"
        case initialPassed = "initial_passed"
        case finalPassed = "final_passed"
        case wallSeconds = "wall_seconds"
    }
}

extension JournalEntry: Codable {
    enum CodingKeys: String, CodingKey {
        case type, header, run
        case taskID = "task_id"
        case attempt, task, at, command
    }

    /// Reads one journal line: its `type` (`run`, `attempt`, `task`,
    /// `resumed`) says which case; an unknown type is an error.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        switch try container.decode(String.self, forKey: .type) {
        case "run":
            self = .header(try container.decode(RunHeader.self, forKey: .header))
        case "attempt":
            self = .attempt(
                run: try container.decode(Int.self, forKey: .run), taskID: try container.decode(String.self, forKey: .taskID),
                try container.decode(Attempt.self, forKey: .attempt))
        case "task":
            self = .task(try container.decode(TaskResult.self, forKey: .task))
        case "resumed":
            self = .resumed(at: try container.decode(Date.self, forKey: .at), command: try container.decode(String.self, forKey: .command))
        case let other:
            throw DecodingError.dataCorruptedError(forKey: .type, in: container, debugDescription: "unknown entry type \(other)")
        }
    }

    /// Writes one journal line: a `type` key beside the case's fields.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .header(let header):
            try container.encode("run", forKey: .type)
            try container.encode(header, forKey: .header)
        case .attempt(let run, let taskID, let attempt):
            try container.encode("attempt", forKey: .type)
            try container.encode(run, forKey: .run)
            try container.encode(taskID, forKey: .taskID)
            try container.encode(attempt, forKey: .attempt)
        case .task(let result):
            try container.encode("task", forKey: .type)
            try container.encode(result, forKey: .task)
        case .resumed(let date, let command):
            try container.encode("resumed", forKey: .type)
            try container.encode(date, forKey: .at)
            try container.encode(command, forKey: .command)
        }
    }
}
