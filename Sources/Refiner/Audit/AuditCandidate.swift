import Sandbox

/// One program the audit executes: how it was scored (when a task is
/// known), the plain program the common harnesses would run, and the
/// verdict a run recorded for it (when it came from a journal).
public struct AuditCandidate: Sendable, Hashable {
    /// How reports name it: "HumanEval/1 iteration 2", "line 3 Mbpp/2".
    public var id: String
    /// The benchmark task, when known.
    public var taskID: String?
    /// The exact job that scores it against the task's tests; nil for a
    /// self-contained program (there is nothing to score it against).
    public var scoringJob: SandboxJob?
    /// What the common harnesses run as `python3 program.py`: the code,
    /// then the tests and their call (or the program alone).
    public var plainProgram: String
    /// The plain program's line where the tests begin, so a reason can say
    /// whether the program stopped in the candidate's code or in the tests.
    public var testsFirstLine: Int?
    /// Whether this candidate's verdict is checked against a recorded one
    /// (run audits); candidates files carry no verdicts.
    public var checksReproduction: Bool
    /// The verdict the run recorded; nil when it recorded none although
    /// there was code (which then cannot reproduce).
    public var recordedVerdict: Verdict?

    /// A candidate for `task`: scored with `task.scoringJob(for:)`, and run
    /// plain as the task's code, tests and call of `check`.
    public init(id: String, task: BenchmarkTask, program: String, recordedVerdict: Verdict? = nil, checksReproduction: Bool = false) {
        self.id = id
        self.taskID = task.id
        self.scoringJob = task.scoringJob(for: program)
        self.plainProgram = task.plainProgram(for: program)
        self.testsFirstLine = task.testsFirstLine(after: program)
        self.checksReproduction = checksReproduction
        self.recordedVerdict = recordedVerdict
    }

    /// A self-contained program: run only as a script.
    public init(id: String, program: String) {
        self.id = id
        self.taskID = nil
        self.scoringJob = nil
        self.plainProgram = program
        self.testsFirstLine = nil
        self.checksReproduction = false
        self.recordedVerdict = nil
    }
}
