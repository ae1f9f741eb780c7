import CompressNIO
import Crypto
import Foundation
import NIOCore

/// Finds, verifies and parses the benchmark files.
public enum DatasetLoader {
    /// Overrides where datasets are looked for.
    public static let environmentVariable = "REFINE_DATA"

    /// The folder to read datasets from when the user named none: the
    /// environment variable, else `../shared/datasets` beside the current
    /// directory or beside the checkout the executable was built in.
    public static func defaultDirectory(
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> URL? {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return URL(fileURLWithPath: configured)
        }
        var bases = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        var executable = URL(fileURLWithPath: CommandLine.arguments.first ?? "").resolvingSymlinksInPath()
        for _ in 0..<6 {
            executable.deleteLastPathComponent()
            bases.append(executable)
        }
        for base in bases {
            let candidate = base.appendingPathComponent("../shared/datasets").standardizedFileURL
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: candidate.path, isDirectory: &isDirectory), isDirectory.boolValue {
                return candidate
            }
        }
        return nil
    }

    /// Loads every task of `suite` from `directory` (or the default folder),
    /// after checking the file's SHA-256 against the published one.
    public static func load(_ suite: BenchmarkSuite, from directory: URL? = nil) throws -> [BenchmarkTask] {
        guard let directory = directory ?? defaultDirectory() else {
            throw DatasetError(
                "no dataset folder: pass --data DIR or set \(environmentVariable); \(suite.fileName) comes from \(suite.source)")
        }
        let file = directory.appendingPathComponent(suite.fileName)
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw DatasetError("\(file.path) is missing or unreadable; get it from \(suite.source)")
        }
        let digest = sha256Hex(data)
        guard digest == suite.sha256 else {
            throw DatasetError(
                "\(file.path) has SHA-256 \(digest), not the published \(suite.sha256): replace it with the file from \(suite.source)")
        }
        let tasks: [BenchmarkTask]
        switch suite {
        case .humaneval: tasks = try parseHumanEval(gunzip(data, file: file))
        case .mbpp: tasks = try parseMBPP(data)
        }
        guard tasks.count == suite.taskCount else {
            throw DatasetError("\(file.path) holds \(tasks.count) tasks, not \(suite.taskCount)")
        }
        return tasks
    }

    /// Lowercase hex SHA-256 of `data`, the form ``BenchmarkSuite/sha256``
    /// is written in, so any tool can check a file exactly as ``load(_:from:)``
    /// does.
    public static func sha256Hex(_ data: Data) -> String {
        SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
    }

    private static func gunzip(_ data: Data, file: URL) throws -> Data {
        var buffer = ByteBuffer(bytes: data)
        do {
            var output = try buffer.decompress(with: .gzip())
            return Data(output.readBytes(length: output.readableBytes) ?? [])
        } catch {
            throw DatasetError("\(file.path) is not a valid gzip file: \(error)")
        }
    }

    static func parseHumanEval(_ data: Data) throws -> [BenchmarkTask] {
        struct Line: Decodable {
            let task_id: String
            let prompt: String
            let entry_point: String
            let canonical_solution: String
            let test: String
        }
        var tasks: [BenchmarkTask] = []
        for (index, line) in data.split(separator: UInt8(ascii: "\n")).enumerated() where !line.isEmpty {
            let entry: Line
            do {
                entry = try JSONDecoder().decode(Line.self, from: Data(line))
            } catch {
                throw DatasetError("HumanEval line \(index + 1) is malformed: \(error)")
            }
            tasks.append(
                BenchmarkTask(
                    id: entry.task_id, suite: .humaneval, prompt: entry.prompt, functionName: entry.entry_point,
                    canonicalSolution: entry.prompt + entry.canonical_solution, tests: entry.test,
                    entryPoint: entry.entry_point,
                    visibleTests: DoctestExamples.asserts(in: entry.prompt, function: entry.entry_point)))
        }
        return tasks
    }

    static func parseMBPP(_ data: Data) throws -> [BenchmarkTask] {
        struct Entry: Decodable {
            let task_id: Int
            let prompt: String
            let code: String
            let test_imports: [String]
            let test_list: [String]
        }
        let entries: [Entry]
        do {
            entries = try JSONDecoder().decode([Entry].self, from: data)
        } catch {
            throw DatasetError("sanitized-mbpp.json is malformed: \(error)")
        }
        return try entries.map { entry in
            guard let function = functionName(definedIn: entry.code, calledIn: entry.test_list) else {
                throw DatasetError("MBPP task \(entry.task_id) defines no function its tests call")
            }
            let imports = entry.test_imports.joined(separator: "\n")
            let header = imports.isEmpty ? "" : imports + "\n"
            return BenchmarkTask(
                id: "Mbpp/\(entry.task_id)", suite: .mbpp, prompt: entry.prompt, functionName: function,
                canonicalSolution: entry.code, tests: header + entry.test_list.joined(separator: "\n") + "\n",
                entryPoint: nil, visibleTests: header + (entry.test_list.first.map { $0 + "\n" } ?? ""),
                promptTests: entry.test_list)
        }
    }

    /// The top-level function of `code` that the tests call (the first one
    /// defined, when several are called).
    static func functionName(definedIn code: String, calledIn tests: [String]) -> String? {
        let definitions = code.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("def ") else { return nil }
            let name = line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty ? nil : String(name)
        }
        let joined = tests.joined(separator: "\n")
        return definitions.first { name in joined.contains(name + "(") } ?? definitions.first
    }
}
