import Foundation
import Sandbox

/// Renders a verdict for people (aligned fields) or machines (JSON).
enum VerdictPrinter {
    static func print(_ verdict: Verdict, json: Bool) throws {
        if json {
            var data = try verdict.jsonData()
            data.append(UInt8(ascii: "\n"))
            FileHandle.standardOutput.write(data)
        } else {
            Swift.print(readable(verdict), terminator: "")
        }
    }

    static func readable(_ verdict: Verdict) -> String {
        var lines: [(String, String)] = [("outcome", verdict.outcome.rawValue)]
        if verdict.tests.total > 0 || verdict.outcome != .sandboxError {
            lines.append(("tests", "\(verdict.tests.passed)/\(verdict.tests.total) passed"))
        }
        if let test = verdict.failingTest {
            lines.append(("failing test", "#\(test.index), line \(test.line): \(firstLine(test.source))"))
        }
        if let exception = verdict.exception {
            var where_ = ""
            if let origin = exception.origin, let line = exception.line {
                where_ = " in \(origin.rawValue) line \(line)"
            }
            let message = exception.message.isEmpty ? "" : ": \(exception.message)"
            lines.append(("exception", "\(exception.type)\(message)\(where_)"))
            if let source = exception.sourceLine {
                lines.append(("  at", source))
            }
            if let expected = exception.expected {
                lines.append(("  expected", expected))
            }
            if let actual = exception.actual {
                lines.append(("  actual", actual))
            }
        }
        if let signal = verdict.signal {
            lines.append(("signal", signal))
        }
        if let syscall = verdict.syscall {
            lines.append(("syscall", syscall))
        }
        if let limit = verdict.limit {
            lines.append(("limit", limit.rawValue))
        }
        if let exitCode = verdict.exitCode {
            lines.append(("exit code", "\(exitCode)"))
        }
        if verdict.outcome != .sandboxError {
            var cost = String(format: "%.1f ms wall, %.1f ms cpu", verdict.durationMilliseconds, verdict.cpuMilliseconds)
            if let rss = verdict.maxResidentKilobytes {
                cost += String(format: ", %.1f MB peak memory", Double(rss) / 1024)
            }
            lines.append(("cost", cost))
        }
        for (name, output) in [("stdout", verdict.stdout), ("stderr", verdict.stderr)] where output.totalBytes > 0 {
            let note = output.truncated ? " (first \(output.text.utf8.count) of \(output.totalBytes) bytes)" : ""
            lines.append((name, "\(output.totalBytes) bytes\(note)"))
        }
        let width = lines.map(\.0.count).max() ?? 0
        var text = lines.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n") + "\n"
        for (name, output) in [("stdout", verdict.stdout), ("stderr", verdict.stderr)] where !output.text.isEmpty {
            text += "--- \(name) ---\n" + output.text + (output.text.hasSuffix("\n") ? "" : "\n")
        }
        return text
    }

    private static func firstLine(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        return lines.count > 1 ? "\(lines[0]) …" : text
    }
}
