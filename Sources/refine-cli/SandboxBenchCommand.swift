import ArgumentParser
import Foundation
import Refiner
import Sandbox

/// `refine sandbox-bench`: what the sandbox costs against a bare python3.
struct SandboxBenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox-bench",
        abstract: "Run every canonical solution sandboxed and bare, check they all pass, and compare the cost.",
        discussion: """
            Sandboxed and bare runs are interleaved in the same run, so both see the same machine \
            load; the ratio is sandboxed p50 over bare p50. Exit status 1 if any canonical solution \
            did not pass in the sandbox.
            """)

    @Option(help: "The suite: humaneval or mbpp.")
    var suite: BenchmarkSuite = .humaneval

    @Option(help: ArgumentHelp("Folder holding the datasets (default: $REFINE_DATA or ../shared/datasets).", valueName: "dir"))
    var data: String?

    @Option(help: "Only the first N tasks.")
    var limit: Int?

    @Option(help: "Passes over the suite (sandboxed and bare interleaved); more give steadier percentiles.")
    var rounds = 3

    @Flag(help: "Print one JSON object.")
    var json = false

    @Option(help: ArgumentHelp("The Python interpreter.", valueName: "path"))
    var python = "/usr/bin/python3"

    func validate() throws {
        if let limit, limit < 1 {
            throw ValidationError("--limit must be at least 1")
        }
        if rounds < 1 || rounds > 100 {
            throw ValidationError("--rounds must be between 1 and 100")
        }
    }

    func run() async throws {
        let tasks: [BenchmarkTask]
        do {
            tasks = try DatasetLoader.load(suite, from: data.map { URL(fileURLWithPath: $0) })
        } catch let error as DatasetError {
            throw UsageError(error.description)
        }
        var policy = SandboxPolicy.strict
        policy.interpreter = python
        let selected = Array(tasks.prefix(limit ?? tasks.count))
        let benchmark = SandboxBenchmark(suite: suite, tasks: selected, policy: policy, rounds: rounds)
        let progress = ProgressLine(label: "sandbox-bench \(suite.rawValue)", enabled: !json)
        let report: SandboxBenchmark.Report
        do {
            report = try await benchmark.run { done, total in progress.update(done: done, total: total) }
        } catch let error as SandboxError {
            progress.finish()
            FileHandle.standardError.write(Data("refine: sandbox error: \(error)\n".utf8))
            throw ExitCode(Refine.Status.sandboxError)
        }
        progress.finish()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            FileHandle.standardOutput.write(try encoder.encode(report) + Data("\n".utf8))
        } else {
            print(Self.table(report))
        }
        if !report.allPassed {
            throw ExitCode(Refine.Status.failed)
        }
    }

    static func table(_ report: SandboxBenchmark.Report) -> String {
        func row(_ name: String, _ measurement: SandboxBenchmark.Measurement) -> String {
            name.padding(toLength: 14, withPad: " ", startingAt: 0)
                + String(
                    format: "%10d %11.1f %8.2f %8.2f", measurement.executions, measurement.perSecond,
                    measurement.p50Milliseconds, measurement.p95Milliseconds)
        }
        var lines = [
            "sandbox-bench: \(report.suite.rawValue), \(report.sandboxed.executions) executions of each kind",
            "              executions  per second   p50 ms   p95 ms",
            row("sandboxed", report.sandboxed),
            row("bare python3", report.bare),
            String(format: "ratio (sandboxed p50 / bare p50): %.3f", report.ratio),
        ]
        if report.allPassed {
            lines.append("every canonical solution passed in the sandbox")
        } else {
            lines.append("\(report.notPassed.count) canonical solutions did not pass in the sandbox:")
            lines += report.notPassed.map { "  \($0): \(report.notPassedOutcomes[$0]?.rawValue ?? "?")" }
        }
        if !report.bareFailures.isEmpty {
            lines.append("failed without the sandbox too: " + report.bareFailures.joined(separator: ", "))
        }
        return lines.joined(separator: "\n")
    }
}

extension BenchmarkSuite: ExpressibleByArgument {}
