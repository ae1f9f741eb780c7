/// Turns the examples in a HumanEval docstring into assert statements, the
/// tests a refiner may see under `--feedback visible`.
///
/// HumanEval writes its examples in several notations, and all of these are
/// read:
/// - a doctest, `>>> f(1, 2)` followed by the line `3`: `assert f(1, 2) == 3`;
/// - a doctest stating its own comparison, `>>> f(1, 2) == 3`;
/// - an example in prose, a call of the function followed by `==`, `==>`,
///   `=>`, `->`, `➞`, `→` or `=` and the expected value, with any text
///   before the call: `f(1, 2) ➞ 3`.
///
/// An example is kept only when its call names the function and its
/// expected value is a Python literal on the same or the next line: printed
/// text, an exception or an explanation such as `-> 19 - 5 - 6 = 8` cannot
/// be compared with `==`. A prose example must also call with literals
/// (reading `is_happy(a) => False` would mean guessing that `a` is "a"). A
/// docstring that defines the function by equations (`tri(n) = 1 + n / 2`)
/// uses `=` for definitions, so its `=` lines are not read as examples. The
/// same assert is written once.
enum DoctestExamples {
    /// What separates a call from its expected value in prose examples,
    /// longest first so that `==>` is not read as `==`.
    static let separators = ["==>", "==", "=>", "->", "➞", "→", "="]

    /// A call of the function followed by a separator on one line.
    struct InlineExample {
        var call: String
        var argumentsAreLiterals: Bool
        var separator: String
        /// Everything after the separator, not necessarily a literal.
        var expected: String
    }

    static func asserts(in prompt: String, function: String) -> String {
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        // A `def` line holds neither an example nor a doctest.
        let examples = lines.map { line -> InlineExample? in
            guard !line.hasPrefix("def ") else { return nil }
            return inlineExample(in: line.hasPrefix(">>> ") ? String(line.dropFirst(4)) : line, function: function)
        }
        let equationsDefineTheFunction = examples.contains { $0?.separator == "=" && $0?.argumentsAreLiterals == false }
        var asserts: [String] = []
        func keep(_ assertion: String) {
            if !asserts.contains(assertion) { asserts.append(assertion) }
        }
        for (index, line) in lines.enumerated() {
            let isDoctest = line.hasPrefix(">>> ")
            if let example = examples[index] {
                if PythonLiteral.isLiteral(example.expected), isDoctest || example.argumentsAreLiterals,
                    !(example.separator == "=" && equationsDefineTheFunction)
                {
                    keep("assert \(example.call) == \(example.expected)")
                }
                continue
            }
            guard isDoctest else { continue }
            let expression = String(line.dropFirst(4))
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            let following = index + 2 < lines.count ? lines[index + 2] : ""
            let singleLineOutput = !next.isEmpty && !next.hasPrefix(">>>") && !next.hasPrefix("\"\"\"")
                && (following.isEmpty || following.hasPrefix(">>>") || following.hasPrefix("\"\"\""))
            if singleLineOutput, expression.contains(function + "("), PythonLiteral.isLiteral(next) {
                keep("assert \(expression) == \(next)")
            }
        }
        return asserts.isEmpty ? "" : asserts.joined(separator: "\n") + "\n"
    }

    /// The first call of `function` in `text` that a separator follows.
    static func inlineExample(in text: String, function: String) -> InlineExample? {
        var searchFrom = text.startIndex
        while let found = text.range(of: function + "(", range: searchFrom..<text.endIndex) {
            searchFrom = found.upperBound
            if found.lowerBound > text.startIndex {
                let before = text[text.index(before: found.lowerBound)]
                if before.isLetter || before.isNumber || before == "_" || before == "." { continue }
            }
            let open = text.index(before: found.upperBound)
            guard let end = endOfCall(in: text, openingParenthesis: open) else { continue }
            let rest = text[end...].trimmingCharacters(in: .whitespaces)
            guard let separator = separators.first(where: { rest.hasPrefix($0) }) else { continue }
            return InlineExample(
                call: String(text[found.lowerBound..<end]),
                argumentsAreLiterals: PythonLiteral.isLiteral(String(text[open..<end])),
                separator: separator,
                expected: rest.dropFirst(separator.count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }

    /// The index just past the parenthesis that closes the one at `open`,
    /// skipping brackets and quoted strings; nil when the line ends first.
    static func endOfCall(in text: String, openingParenthesis open: String.Index) -> String.Index? {
        var depth = 0
        var quote: Character?
        var index = open
        while index < text.endIndex {
            let character = text[index]
            if let activeQuote = quote {
                if character == "\\" {
                    index = text.index(after: index)
                    if index == text.endIndex { return nil }
                } else if character == activeQuote {
                    quote = nil
                }
            } else if character == "'" || character == "\"" {
                quote = character
            } else if "([{".contains(character) {
                depth += 1
            } else if ")]}".contains(character) {
                depth -= 1
                if depth == 0 { return text.index(after: index) }
            }
            index = text.index(after: index)
        }
        return nil
    }
}

/// A recognizer for Python literals: numbers, strings, True/False/None and
/// lists, tuples, sets and dicts of them.
enum PythonLiteral {
    static func isLiteral(_ text: String) -> Bool {
        var parser = Parser(Array(text.unicodeScalars))
        return parser.value() && parser.atEnd()
    }

    private struct Parser {
        let scalars: [Unicode.Scalar]
        var position = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        mutating func skipSpace() {
            while position < scalars.count, scalars[position] == " " || scalars[position] == "\t" { position += 1 }
        }

        mutating func atEnd() -> Bool {
            skipSpace()
            return position == scalars.count
        }

        mutating func peek() -> Unicode.Scalar? {
            skipSpace()
            return position < scalars.count ? scalars[position] : nil
        }

        mutating func value() -> Bool {
            guard let first = peek() else { return false }
            switch first {
            case "[": return sequence(close: "]", allowPairs: false)
            case "(": return sequence(close: ")", allowPairs: false)
            case "{": return sequence(close: "}", allowPairs: true)
            case "'", "\"": return string()
            case "-", "+": position += 1; return number()
            default:
                if first.properties.numericType != nil || first == "." { return number() }
                for word in ["True", "False", "None"] where matches(word) {
                    position += word.unicodeScalars.count
                    return true
                }
                return false
            }
        }

        func matches(_ word: String) -> Bool {
            let word = Array(word.unicodeScalars)
            guard position + word.count <= scalars.count, Array(scalars[position..<(position + word.count)]) == word else {
                return false
            }
            let after = position + word.count
            return after == scalars.count || !(scalars[after].properties.isAlphabetic || scalars[after] == "_")
        }

        mutating func sequence(close: Unicode.Scalar, allowPairs: Bool) -> Bool {
            position += 1
            if peek() == close { position += 1; return true }
            while true {
                guard value() else { return false }
                if allowPairs, peek() == ":" {
                    position += 1
                    guard value() else { return false }
                }
                guard let next = peek() else { return false }
                position += 1
                if next == close { return true }
                guard next == "," else { return false }
                if peek() == close { position += 1; return true }
            }
        }

        mutating func string() -> Bool {
            let quote = scalars[position]
            position += 1
            while position < scalars.count {
                let scalar = scalars[position]
                position += 1
                if scalar == "\\" { position += 1; continue }
                if scalar == quote { return true }
            }
            return false
        }

        mutating func number() -> Bool {
            let start = position
            while position < scalars.count {
                let scalar = scalars[position]
                let isPart = scalar.properties.numericType != nil || scalar == "." || scalar == "_" || scalar == "e"
                    || scalar == "E" || scalar == "j"
                    || ((scalar == "-" || scalar == "+") && position > start && (scalars[position - 1] == "e" || scalars[position - 1] == "E"))
                guard isPart else { break }
                position += 1
            }
            return position > start && scalars[start..<position].contains { $0.properties.numericType != nil }
        }
    }
}
