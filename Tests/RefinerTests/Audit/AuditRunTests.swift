import Foundation
import Refiner
import Sandbox
import Testing

/// Audits of run folders: reproduction, tampering, truncation, bad input.
@Suite("Audit of runs")
struct AuditRunTests {
    @Test func aRunWhoseVerdictsAllReproducePasses() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AuditFixtures.writeRun(in: directory)
        let journal = try await Audit.readRun(at: directory)
        let report = try await AuditFixtures.audit().audit(run: journal, at: directory, tasks: AuditFixtures.tasks)

        #expect(report.allReproduced)
        #expect(report.reproduction?.checked == 2)
        #expect(report.reproduction?.reproduced == 2)
        #expect(report.executed == 2)
        #expect(report.source.withoutCode == 1)
        #expect(report.source.leftOut == nil)
        #expect(report.outcomes.map(\.outcome) == [.passed, .assertionError])
        let failing = try #require(report.outcomes.last?.examples.first)
        #expect(failing.candidate == "Test/plus iteration 0")
        #expect(failing.verdict.tests == TestCount(passed: 1, total: 3))
        #expect(failing.verdict.exception?.expected == "4")
        #expect(failing.verdict.exception?.actual == "3")
        #expect(failing.verdict.failingTest?.index == 2)
        #expect(report.text.contains("reproduction: 2 of 2 recorded verdicts reproduced"))
    }

    @Test func aTamperedVerdictDoesNotReproduce() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AuditFixtures.writeRun(in: directory)
        // Edit the recorded outcome of add's passing attempt.
        let url = directory.appendingPathComponent(Journal.fileName)
        let original = try String(contentsOf: url, encoding: .utf8)
        let tampered = original.replacingOccurrences(of: "\"outcome\":\"passed\"", with: "\"outcome\":\"name_error\"")
        #expect(tampered != original)
        try tampered.write(to: url, atomically: true, encoding: .utf8)

        let journal = try await Audit.readRun(at: directory)
        let report = try await AuditFixtures.audit().audit(run: journal, at: directory, tasks: AuditFixtures.tasks)
        #expect(!report.allReproduced)
        let reproduction = try #require(report.reproduction)
        #expect(reproduction.reproduced == 1)
        #expect(reproduction.mismatches.map(\.candidate) == ["Test/add iteration 0"])
        #expect(reproduction.mismatches.first?.differences == ["outcome"])
        #expect(reproduction.mismatches.first?.recorded?.verdict.outcome == .nameError)
        #expect(reproduction.mismatches.first?.reproduced.verdict.outcome == .passed)
        #expect(report.text.contains("Test/add iteration 0: outcome differs"))
        let json = String(decoding: try JSONEncoder().encode(report), as: UTF8.self)
        #expect(json.contains("\"all_reproduced\":false"))
    }

    @Test func aTruncatedJournalIsAuditedWithoutItsLastLine() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AuditFixtures.writeRun(in: directory)
        let handle = try FileHandle(forWritingTo: directory.appendingPathComponent(Journal.fileName))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("{\"attempt\":{\"completion\":{\"text\":\"def".utf8))
        try handle.close()

        let journal = try await Audit.readRun(at: directory)
        #expect(journal.truncatedTail)
        let report = try await AuditFixtures.audit().audit(run: journal, at: directory, tasks: AuditFixtures.tasks)
        #expect(report.executed == 2)
        #expect(report.allReproduced)
        let leftOut = try #require(report.source.leftOut)
        #expect(leftOut.contains("half-written"))
        #expect(leftOut.contains("37 bytes"))
        #expect(report.text.contains("left out: the journal's last line was half-written"))
    }

    @Test func aJournalNamingATaskTheDatasetLacksIsRefused() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try await AuditFixtures.writeRun(in: directory)
        let journal = try await Audit.readRun(at: directory)
        do {
            _ = try await AuditFixtures.audit().audit(run: journal, at: directory, tasks: [AuditFixtures.tasks[0]])
            Issue.record("a journal naming an unknown task was audited")
        } catch let error as AuditError {
            #expect(error.description == "the journal names task Test/plus, which the mbpp dataset does not hold")
        }
    }

    @Test func aFolderWithoutAJournalIsNotARun() async throws {
        let directory = try LoopFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        do {
            _ = try await Audit.readRun(at: directory)
            Issue.record("a folder without a journal was read as a run")
        } catch let error as JournalError {
            #expect(error.description == "\(directory.path) is not a run folder: it has no journal.jsonl")
        }
    }

    @Test func aRunOnAnotherCopyOfTheDatasetIsRefused() async throws {
        await #expect(throws: AuditError.self) {
            _ = try await Audit.loadTasks(for: AuditFixtures.header(), from: nil)
        }
    }

    @Test func theRecordedLimitsBecomeThePolicy() {
        let summary = SandboxSummary(wallSeconds: 2.5, cpuSeconds: 3, memoryMegabytes: 512, interpreter: "/usr/bin/python3")
        let policy = summary.policy
        #expect(policy.limits.wallTime == .milliseconds(2500))
        #expect(policy.limits.cpuSeconds == 3)
        #expect(policy.limits.addressSpaceBytes == 512 << 20)
        #expect(policy.syscalls == SandboxPolicy.strict.syscalls)
        #expect(SandboxSummary(policy: policy) == summary)
    }
}
