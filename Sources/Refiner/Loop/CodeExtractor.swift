/// Turns a model's reply into a program the sandbox can judge.
///
/// Small models answer in every shape: a fenced block, several blocks (the
/// solution, then a usage example), bare code, prose around code, a full
/// function that restates the signature, or only the body. The extractor
/// picks the block that defines the task's function, and completes what
/// the model left out that the prompt provided (its imports and helper
/// functions; the signature when only a body came back).
public enum CodeExtractor {
    /// How the code was found, recorded in the journal so a bad extraction
    /// can be told from bad code.
    public enum Method: String, Sendable, Hashable, Codable {
        /// A fenced block (```python … ```), possibly one of several.
        case fenced
        /// Code without fences, possibly with prose around it.
        case unfenced
        /// An indented function body, completed with the prompt's signature.
        case body
        /// Nothing that looks like code.
        case none
    }

    /// What ``CodeExtractor/extract(from:function:prompt:)`` found, and how.
    public struct Extraction: Sendable, Hashable, Codable {
        /// The complete program to run, or nil when the reply has no code.
        public var program: String?
        /// How the code was found; ``Method/none`` exactly when ``program`` is
        /// nil.
        public var method: Method
        /// Fenced blocks in the reply.
        public var blockCount: Int
    }

    /// - Parameters:
    ///   - reply: the model's text.
    ///   - function: the function the tests call.
    ///   - prompt: for HumanEval, the prompt whose imports and helpers the
    ///     program needs; nil for MBPP.
    public static func extract(from reply: String, function: String, prompt: String? = nil) -> Extraction {
        let blocks = fencedBlocks(in: reply)
        var code: String?
        var method = Method.none
        if !blocks.isEmpty {
            let defining = blocks.filter { defines(function, in: $0) }
            if let chosen = defining.first {
                // Blocks before the chosen one that only define helpers or
                // import modules belong to the solution too.
                let index = blocks.firstIndex(of: chosen)!
                let helpers = blocks[..<index].filter(isDefinitionsOnly)
                code = (helpers + [chosen]).joined(separator: "\n\n")
            } else {
                code = blocks.joined(separator: "\n\n")
            }
            method = .fenced
        } else if let unfenced = unfencedCode(in: reply) {
            code = unfenced
            method = .unfenced
        }
        guard var program = code?.trimmingTrailingWhitespace(), !program.isEmpty else {
            return Extraction(program: nil, method: .none, blockCount: blocks.count)
        }
        if let prompt {
            if !defines(function, in: program) && looksLikeBody(program) {
                program = prompt + program
                method = .body
            } else {
                program = context(of: prompt, function: function, missingFrom: program) + program
            }
        }
        return Extraction(program: program + "\n", method: method, blockCount: blocks.count)
    }

    /// The contents of ``` fences. An unclosed last fence (the model ran
    /// out of tokens) still counts.
    static func fencedBlocks(in reply: String) -> [String] {
        var blocks: [String] = []
        // Inside a fence: its lines, and whether it is Python (an output or
        // shell block is not the solution).
        var open: (lines: [Substring], isPython: Bool)?
        for line in reply.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard trimmed.hasPrefix("```") || trimmed.hasPrefix("~~~") else {
                open?.lines.append(line)
                continue
            }
            if let block = open {
                if block.isPython {
                    blocks.append(block.lines.joined(separator: "\n"))
                }
                open = nil
            } else {
                let language = trimmed.dropFirst(3).trimmingCharacters(in: .whitespaces).lowercased()
                open = ([], ["", "python", "py", "python3"].contains(language))
            }
        }
        if let block = open, block.isPython {
            blocks.append(block.lines.joined(separator: "\n"))
        }
        return blocks.filter { !$0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty }
    }

    /// The longest run of code-looking lines, starting at the first line
    /// that opens a definition, an import or a statement.
    static func unfencedCode(in reply: String) -> String? {
        let lines = reply.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(where: { startsCode($0) || ($0.hasPrefix("    ") && looksLikeStatement($0)) }) else {
            return nil
        }
        var end = start
        for index in start..<lines.count {
            let line = lines[index]
            if line.trimmingCharacters(in: .whitespaces).isEmpty || line.hasPrefix(" ") || line.hasPrefix("\t")
                || startsCode(line)
            {
                end = index
                continue
            }
            break
        }
        let code = lines[start...end].joined(separator: "\n")
        return code.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : code
    }

    private static let codeStarts = [
        "def ", "async def ", "class ", "import ", "from ", "@", "if ", "for ", "while ", "try:", "with ", "return ",
        "assert ", "print(", "#", "raise ", "elif ", "else:", "except", "finally:",
    ]

    static func startsCode(_ line: String) -> Bool {
        if codeStarts.contains(where: { line.hasPrefix($0) }) {
            return true
        }
        return looksLikeStatement(line) && !line.hasPrefix(" ")
    }

    /// `name = …`, `name(…)`, `name[…] = …`, `name.attr…`.
    static func looksLikeStatement(_ line: String) -> Bool {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard let first = trimmed.unicodeScalars.first, first == "_" || first.properties.isAlphabetic else {
            return false
        }
        let identifier = trimmed.prefix { $0 == "_" || $0.isLetter || $0.isNumber }
        let rest = trimmed.dropFirst(identifier.count).trimmingCharacters(in: .whitespaces)
        if codeStarts.contains(where: { trimmed.hasPrefix($0) }) { return true }
        return rest.hasPrefix("=") || rest.hasPrefix("(") || rest.hasPrefix("[") || rest.hasPrefix(".")
            || rest.hasPrefix("+=") || rest.hasPrefix("-=") || (rest.hasPrefix(",") && trimmed.contains("="))
    }

    static func defines(_ function: String, in code: String) -> Bool {
        code.split(separator: "\n").contains { line in
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            return (trimmed.hasPrefix("def \(function)(") || trimmed.hasPrefix("async def \(function)(")
                || trimmed.hasPrefix("def \(function) ("))
        }
    }

    private static func isDefinitionsOnly(_ block: String) -> Bool {
        block.split(separator: "\n").allSatisfy { line in
            line.hasPrefix(" ") || line.hasPrefix("\t") || line.trimmingCharacters(in: .whitespaces).isEmpty
                || ["def ", "class ", "import ", "from ", "@", "#"].contains { line.hasPrefix($0) }
        }
    }

    private static func looksLikeBody(_ code: String) -> Bool {
        guard let first = code.split(separator: "\n").first(where: { !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            return false
        }
        return first.hasPrefix(" ") || first.hasPrefix("\t")
    }

    /// What the prompt defines before the function (imports, helpers) and
    /// the program does not have yet.
    static func context(of prompt: String, function: String, missingFrom program: String) -> String {
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false)
        guard let definition = lines.firstIndex(where: { $0.hasPrefix("def \(function)(") || $0.hasPrefix("async def \(function)(") }) else {
            return ""
        }
        let preamble = lines[..<definition]
        var missing: [String] = []
        var helper: [Substring] = []
        func flushHelper() {
            guard let header = helper.first else { return }
            let name = header.dropFirst(4).prefix { $0 != "(" }
            if !defines(String(name), in: program) {
                missing.append(helper.joined(separator: "\n"))
            }
            helper = []
        }
        for line in preamble {
            if line.hasPrefix("def ") {
                flushHelper()
                helper = [line]
            } else if !helper.isEmpty && (line.hasPrefix(" ") || line.hasPrefix("\t") || line.isEmpty) {
                helper.append(line)
            } else {
                flushHelper()
                if (line.hasPrefix("import ") || line.hasPrefix("from ")) && !program.contains(line) {
                    missing.append(String(line))
                }
            }
        }
        flushHelper()
        return missing.isEmpty ? "" : missing.joined(separator: "\n") + "\n\n"
    }
}

extension String {
    func trimmingTrailingWhitespace() -> String {
        var result = self
        while let last = result.last, last.isWhitespace {
            result.removeLast()
        }
        return result
    }
}
