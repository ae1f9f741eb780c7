import Foundation

/// A JSON Lines file of candidates made by another tool, so the audit can
/// compare classifications on code this package never generated.
///
/// Two kinds of line are understood:
/// - EvalPlus samples: `{"task_id": "HumanEval/0", "solution": "..."}`, a
///   full program for a HumanEval or MBPP task (`Mbpp/2`); the tests come
///   from the dataset.
/// - Self-contained programs: `{"program": "..."}`, run as a script only.
///
/// Other keys are ignored; blank lines are skipped.
public struct CandidatesFile: Sendable, Hashable {
    /// One candidate as written in the file.
    public struct Line: Sendable, Hashable {
        /// 1-based line number in the file, for messages and report ids.
        public var number: Int
        /// The task (EvalPlus lines); nil for a self-contained program.
        public var taskID: String?
        /// The solution or the program.
        public var program: String
    }

    /// Where the file was read from, for messages.
    public var path: String
    /// The candidates, in file order.
    public var lines: [Line]

    /// Parses `data`; a line that is not a candidate is an error naming
    /// its number, so nothing is audited from a file half understood.
    public init(data: Data, path: String) throws {
        struct Raw: Decodable {
            var task_id: String?
            var solution: String?
            var program: String?
            var completion: String?
        }
        self.path = path
        var lines: [Line] = []
        for (offset, bytes) in data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = offset + 1
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") || $0 == UInt8(ascii: "\r") }) {
                continue
            }
            func malformed(_ why: String) -> AuditError {
                AuditError("\(path) line \(number) is not a candidate: \(why)")
            }
            let raw: Raw
            do {
                raw = try JSONDecoder().decode(Raw.self, from: Data(bytes))
            } catch let error as DecodingError {
                throw malformed(Self.describe(error))
            }
            switch (raw.task_id, raw.solution, raw.program) {
            case (let taskID?, let solution?, nil):
                guard Self.suite(ofTaskID: taskID) != nil else {
                    throw malformed("task_id \(taskID.debugDescription) is neither HumanEval/… nor Mbpp/…")
                }
                lines.append(Line(number: number, taskID: taskID, program: solution))
            case (nil, nil, let program?):
                lines.append(Line(number: number, taskID: nil, program: program))
            case (_?, nil, nil) where raw.completion != nil:
                throw malformed("it has a completion but no solution; give the full program as \"solution\"")
            case (_?, _, _?), (nil, _?, _?):
                throw malformed("give either \"task_id\" with \"solution\" (EvalPlus samples) or \"program\", not both")
            default:
                throw malformed("expected {\"task_id\": …, \"solution\": …} or {\"program\": …}")
            }
        }
        guard !lines.isEmpty else {
            throw AuditError("\(path) holds no candidates")
        }
        self.lines = lines
    }

    /// The suite a task id belongs to, from its prefix.
    public static func suite(ofTaskID taskID: String) -> BenchmarkSuite? {
        if taskID.hasPrefix("HumanEval/") { return .humaneval }
        if taskID.hasPrefix("Mbpp/") { return .mbpp }
        return nil
    }

    /// The suites whose datasets the file needs, in a stable order.
    public var suites: [BenchmarkSuite] {
        let needed = Set(lines.compactMap { $0.taskID.flatMap(Self.suite(ofTaskID:)) })
        return BenchmarkSuite.allCases.filter(needed.contains)
    }

    /// The file's candidates, each task's tests taken from `tasks`; a task
    /// id that `tasks` does not hold is an error naming the line.
    public func candidates(tasks: [BenchmarkTask]) throws -> [AuditCandidate] {
        let tasksByID = Dictionary(tasks.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return try lines.map { line in
            guard let taskID = line.taskID else {
                return AuditCandidate(id: "line \(line.number)", program: line.program)
            }
            guard let task = tasksByID[taskID] else {
                throw AuditError("\(path) line \(line.number) names task \(taskID), which the dataset does not hold")
            }
            return AuditCandidate(id: "line \(line.number) \(taskID)", task: task, program: line.program)
        }
    }

    private static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context):
            let key = context.codingPath.map(\.stringValue).joined(separator: ".")
            return key.isEmpty ? "it is not a JSON object" : "\(key.debugDescription) is not a string"
        case .dataCorrupted:
            return "it is not valid JSON"
        @unknown default:
            return "it is not valid JSON"
        }
    }
}
