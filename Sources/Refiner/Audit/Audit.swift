import Foundation
import Logging
import Sandbox

/// Checks the labels a run's claims rest on: every recorded candidate runs
/// again in the sandbox (does its verdict reproduce?), and its plain
/// program runs as a script, so the common harnesses' classification and
/// ours can be compared on one and the same execution. Untrusted code only
/// ever runs inside the sandbox.
///
/// ```swift
/// let journal = try Journal.read(runDirectory: folder)
/// let sandbox = try await Sandbox(policy: journal.header.sandbox.policy)
/// let tasks = try await Audit.loadTasks(for: journal.header, from: nil)
/// let report = try await Audit(sandbox: sandbox).audit(run: journal, at: folder, tasks: tasks)
/// ```
public struct Audit: Sendable {
    /// The sandbox every candidate runs in; its policy is the report's limits.
    public let sandbox: Sandbox
    /// Candidates in flight at once; match the sandbox's own concurrency.
    public let concurrency: Int
    /// Examples kept per outcome and per disagreeing cell.
    public let examples: Int
    private let logger: Logger

    /// An audit that runs everything in `sandbox` (whose policy it reports
    /// as the limits), `concurrency` candidates at a time.
    public init(
        sandbox: Sandbox, concurrency: Int = ProcessInfo.processInfo.activeProcessorCount, examples: Int = 3,
        logger: Logger = Logger(label: "refine.audit")
    ) {
        self.sandbox = sandbox
        self.concurrency = max(1, concurrency)
        self.examples = max(0, examples)
        self.logger = logger
    }

    /// Audits a run: every attempt with code, against the verdict it
    /// recorded. `tasks` must hold the tasks the journal names. A journal
    /// whose last line was half-written is audited without that line, and
    /// the report says so.
    public func audit(
        run journal: JournalContents, at runDirectory: URL, tasks: [BenchmarkTask],
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> AuditReport {
        let (candidates, withoutCode) = try AuditCandidate.fromJournal(journal, tasks: tasks)
        var leftOut: String?
        if journal.truncatedTail {
            let bytes = try await Self.halfWrittenTailBytes(runDirectory: runDirectory)
            leftOut =
                "the journal's last line was half-written (an interrupted write\(bytes.map { ", \($0) bytes" } ?? "")) "
                + "and was left out: an attempt or task record may be missing; everything before it was audited"
        }
        let source = AuditReport.Source(
            kind: .run, path: runDirectory.path, suites: [journal.header.suite], withoutCode: withoutCode, leftOut: leftOut)
        let results = try await execute(candidates, progress: progress)
        return AuditReport(source: source, limits: SandboxSummary(policy: sandbox.policy), results: results, examples: examples)
    }

    /// Audits a candidates file: no recorded verdicts, so no reproduction
    /// check; the per-outcome evidence and the comparison with the common
    /// harnesses. `tasks` must hold every task the file names.
    public func audit(
        candidates file: CandidatesFile, tasks: [BenchmarkTask],
        progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> AuditReport {
        let candidates = try file.candidates(tasks: tasks)
        let source = AuditReport.Source(kind: .candidates, path: file.path, suites: file.suites)
        let results = try await execute(candidates, progress: progress)
        return AuditReport(source: source, limits: SandboxSummary(policy: sandbox.policy), results: results, examples: examples)
    }

    /// Runs every candidate's scoring job (when it has one) and its plain
    /// program as a script, `concurrency` candidates at a time; results
    /// come back in the candidates' order.
    public func execute(
        _ candidates: [AuditCandidate], progress: @escaping @Sendable (_ done: Int, _ total: Int) -> Void = { _, _ in }
    ) async throws -> [AuditResult] {
        var results = [AuditResult?](repeating: nil, count: candidates.count)
        try await withThrowingTaskGroup(of: (Int, AuditResult).self) { group in
            var next = 0
            var done = 0
            func startNext() {
                let index = next
                let candidate = candidates[index]
                group.addTask { (index, try await self.execute(candidate)) }
                next += 1
            }
            while next < min(concurrency, candidates.count) { startNext() }
            while let (index, result) = try await group.next() {
                results[index] = result
                done += 1
                progress(done, candidates.count)
                if next < candidates.count { startNext() }
            }
        }
        return results.compactMap { $0 }
    }

    private func execute(_ candidate: AuditCandidate) async throws -> AuditResult {
        var scored: Verdict?
        if let job = candidate.scoringJob {
            scored = try await judge(job, candidate: candidate)
        }
        let script = try await judge(.script(candidate.plainProgram), candidate: candidate)
        logger.debug(
            "audited",
            metadata: [
                "candidate": "\(candidate.id)", "scored": "\(scored?.outcome.rawValue ?? "-")",
                "script": "\(script.outcome.rawValue)",
            ])
        return AuditResult(candidate: candidate, scored: scored, script: script)
    }

    /// A sandbox failure of our own becomes a `sandbox_error` verdict, as in
    /// the loop, so one failure does not end the audit (and is reported).
    private func judge(_ job: SandboxJob, candidate: AuditCandidate) async throws -> Verdict {
        do {
            return try await sandbox.run(job)
        } catch let error as SandboxError where error.code != .invalidJob {
            logger.warning("sandbox error", metadata: ["candidate": "\(candidate.id)", "error": "\(error)"])
            return Verdict(sandboxError: error)
        }
    }
}
