/// Turns a HumanEval docstring's doctest examples into assert statements,
/// the tests a refiner may see under `--feedback visible`.
///
/// `>>> f(1, 2)` followed by the line `3` becomes `assert f(1, 2) == 3`.
/// An example is kept only when its call names the function and its
/// expected output is a Python literal on one line (output such as
/// printed text or an exception cannot be compared with `==`).
enum DoctestExamples {
    static func asserts(in prompt: String, function: String) -> String {
        let lines = prompt.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        var asserts: [String] = []
        var index = 0
        while index < lines.count {
            let line = lines[index]
            guard line.hasPrefix(">>> ") else {
                index += 1
                continue
            }
            let expression = String(line.dropFirst(4))
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            let following = index + 2 < lines.count ? lines[index + 2] : ""
            let singleLineOutput = !next.isEmpty && !next.hasPrefix(">>>") && !next.hasPrefix("\"\"\"")
                && (following.isEmpty || following.hasPrefix(">>>") || following.hasPrefix("\"\"\""))
            if singleLineOutput, expression.contains(function + "("), PythonLiteral.isLiteral(next) {
                asserts.append("assert \(expression) == \(next)")
            }
            index += 1
        }
        return asserts.isEmpty ? "" : asserts.joined(separator: "\n") + "\n"
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
