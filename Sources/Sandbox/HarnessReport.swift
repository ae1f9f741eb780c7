import Foundation

/// What the harness said on the verdict channel, parsed from its records.
///
/// A record is `<tag> <field count>\n`, then per field `<length>:<utf-8>`
/// or `~` for none, then `\n`. A truncated last record (the program died
/// while it was being written) is ignored.
struct HarnessReport: Sendable {
    /// The harness started and read the job.
    var ready = false
    /// The harness finished: every test ran.
    var done = false
    var passed = 0
    var total = 0
    var units: [Int: TestLocation] = [:]
    /// The phase the harness was in when the records stop.
    var phase: String?
    /// The test that began and did not end (pass or fail).
    var runningUnit: Int?
    var failures: [Failure] = []
    var peakResidentKilobytes: Int?
    var jobError: String?
    var internalError: String?

    struct Failure: Sendable {
        var phase: String
        var unit: Int
        var family: String
        var type: String
        var message: String
        var origin: ExceptionReport.Origin?
        var line: Int?
        var sourceLine: String?
        var expected: String?
        var actual: String?
        var errorNumber: Int?
    }

    /// - Parameters:
    ///   - tests, entryPoint: the job's, from which the tests' sources are
    ///     taken (the harness sends only their line ranges).
    init(parsing bytes: [UInt8], tests: String? = nil, entryPoint: String? = nil) {
        var reader = RecordReader(bytes: bytes)
        var passedUnits = Set<Int>()
        var failedUnits = Set<Int>()
        // The test that began last and has not failed (0: a setup statement).
        var running: Int?
        var lines = tests.map(Self.pythonLines) ?? []
        if let entryPoint {
            // The harness's own last line of the tests: the call of check.
            lines.append("check(\(entryPoint))")
        }
        while let (tag, fields) = reader.next() {
            func text(_ index: Int) -> String? { index < fields.count ? fields[index] : nil }
            func number(_ index: Int) -> Int? { text(index).flatMap { Int($0) } }
            switch tag {
            case "ready":
                ready = true
            case "units":
                let ranges = (text(0) ?? "").split(separator: ",")
                total = ranges.count
                for (offset, range) in ranges.enumerated() {
                    let bounds = range.split(separator: "-").compactMap { Int($0) }
                    guard bounds.count == 2, bounds[0] >= 1, bounds[0] <= bounds[1] else { continue }
                    let source = lines[min(bounds[0] - 1, lines.count)..<min(bounds[1], lines.count)]
                        .map { $0.trimmingTrailingSpaces() }.joined(separator: "\n")
                    units[offset + 1] = TestLocation(index: offset + 1, line: bounds[0], source: Self.clip(source))
                }
            case "phase":
                phase = text(0)
            case "begin":
                if let previous = running, previous > 0, !failedUnits.contains(previous) {
                    passedUnits.insert(previous)
                }
                running = number(0)
            case "fail":
                let failure = Failure(
                    phase: text(0) ?? "", unit: number(1) ?? 0, family: text(2) ?? "other", type: text(3) ?? "Exception",
                    message: text(4) ?? "", origin: text(5).flatMap(ExceptionReport.Origin.init(rawValue:)),
                    line: number(6), sourceLine: text(7), expected: text(8), actual: text(9), errorNumber: number(10))
                failures.append(failure)
                if failure.phase == "test" { failedUnits.insert(failure.unit) }
                if failure.phase == "test" || failure.phase == "setup" { running = nil }
            case "done":
                done = true
                passed = number(0) ?? passedUnits.count
                total = number(1) ?? total
                peakResidentKilobytes = number(2)
            case "job_error":
                jobError = text(0) ?? "the job was rejected"
            case "internal_error":
                internalError = text(0) ?? "unknown"
            default:
                continue
            }
        }
        if !done {
            passed = passedUnits.count
        }
        runningUnit = running.flatMap { $0 > 0 ? $0 : nil }
    }

    /// Python's own line numbering: \r\n, \r and \n end a line.
    static func pythonLines(_ source: String) -> [String] {
        source.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    static func clip(_ text: String, limit: Int = 400) -> String {
        text.count <= limit ? text : String(text.prefix(limit)) + "…[\(text.count - limit) more characters]"
    }
}

/// Reads the channel's records one at a time.
private struct RecordReader {
    let bytes: [UInt8]
    var position = 0

    mutating func next() -> (String, [String?])? {
        guard let headerEnd = index(of: UInt8(ascii: "\n"), from: position) else { return nil }
        let header = String(decoding: bytes[position..<headerEnd], as: UTF8.self).split(separator: " ")
        guard header.count == 2, let count = Int(header[1]), count >= 0 else { return nil }
        var cursor = headerEnd + 1
        var fields: [String?] = []
        for _ in 0..<count {
            guard cursor < bytes.count else { return nil }
            if bytes[cursor] == UInt8(ascii: "~") {
                fields.append(nil)
                cursor += 1
                continue
            }
            guard let colon = index(of: UInt8(ascii: ":"), from: cursor),
                let length = Int(String(decoding: bytes[cursor..<colon], as: UTF8.self)), length >= 0,
                colon + 1 + length <= bytes.count
            else { return nil }
            fields.append(String(decoding: bytes[(colon + 1)..<(colon + 1 + length)], as: UTF8.self))
            cursor = colon + 1 + length
        }
        guard cursor < bytes.count, bytes[cursor] == UInt8(ascii: "\n") else { return nil }
        position = cursor + 1
        return (String(header[0]), fields)
    }

    private func index(of byte: UInt8, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == byte { return index }
            index += 1
        }
        return nil
    }
}

extension String {
    func trimmingTrailingSpaces() -> String {
        var result = Substring(self)
        while let last = result.last, last == " " || last == "\t" {
            result.removeLast()
        }
        return String(result)
    }
}
