extension AuditCandidate {
    /// Every attempt of `journal` that had code, in the journal's order
    /// (run by run, the header's task order, iteration order), each with
    /// the verdict it recorded; and how many attempts had no code (they
    /// were never executed, so there is nothing to audit).
    ///
    /// `tasks` must hold every task the journal names: the tests come from
    /// them. They are a parameter so a caller (or a test) decides where
    /// tasks come from.
    public static func fromJournal(
        _ journal: JournalContents, tasks: [BenchmarkTask]
    ) throws -> (candidates: [AuditCandidate], withoutCode: Int) {
        let tasksByID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let order = Dictionary(journal.header.taskIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let keys = journal.attempts.keys.sorted { left, right in
            (left.run, order[left.taskID] ?? .max, left.taskID) < (right.run, order[right.taskID] ?? .max, right.taskID)
        }
        var candidates: [AuditCandidate] = []
        var withoutCode = 0
        for key in keys {
            for attempt in journal.attempts[key] ?? [] {
                guard let program = attempt.program else {
                    withoutCode += 1
                    continue
                }
                guard let task = tasksByID[key.taskID] else {
                    throw AuditError(
                        "the journal names task \(key.taskID), which the \(journal.header.suite.rawValue) dataset does not hold")
                }
                let prefix = journal.header.runs > 1 ? "run \(key.run + 1) " : ""
                candidates.append(
                    AuditCandidate(
                        id: "\(prefix)\(key.taskID) iteration \(attempt.iteration)", task: task, program: program,
                        recordedVerdict: attempt.scoreVerdict, checksReproduction: true))
            }
        }
        return (candidates, withoutCode)
    }
}
