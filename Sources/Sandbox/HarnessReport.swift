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

    init(parsing bytes: [UInt8]) {
        var reader = RecordReader(bytes: bytes)
        var passedUnits = Set<Int>()
        while let (tag, fields) = reader.next() {
            func text(_ index: Int) -> String? { index < fields.count ? fields[index] : nil }
            func number(_ index: Int) -> Int? { text(index).flatMap { Int($0) } }
            switch tag {
            case "ready":
                ready = true
            case "units":
                total = (text(0) ?? "").split(separator: ",").count
            case "unit":
                if let index = number(0), let line = number(1) {
                    units[index] = TestLocation(index: index, line: line, source: text(3) ?? "")
                }
            case "phase":
                phase = text(0)
            case "begin":
                runningUnit = number(0)
            case "pass":
                if let unit = number(0) { passedUnits.insert(unit) }
                runningUnit = nil
            case "fail":
                let failure = Failure(
                    phase: text(0) ?? "", unit: number(1) ?? 0, family: text(2) ?? "other", type: text(3) ?? "Exception",
                    message: text(4) ?? "", origin: text(5).flatMap(ExceptionReport.Origin.init(rawValue:)),
                    line: number(6), sourceLine: text(7), expected: text(8), actual: text(9), errorNumber: number(10))
                failures.append(failure)
                if failure.phase == "test" { runningUnit = nil }
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
