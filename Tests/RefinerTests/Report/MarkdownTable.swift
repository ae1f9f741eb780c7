import Foundation

/// A table read back from the report's Markdown by its bold title, with
/// escapes and code spans undone, so tests compare the cells a reader sees.
struct MarkdownTable {
    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    var header: [String]
    var rows: [[String]]

    init(titled title: String, in markdown: String) throws {
        let lines = markdown.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "**\(title)**") else {
            throw Missing(description: "no table titled \(title)")
        }
        let table = lines[(start + 1)...].drop { !$0.hasPrefix("|") }.prefix { $0.hasPrefix("|") }
        guard table.count >= 2 else { throw Missing(description: "table \(title) has no rows") }
        header = Self.cells(table.first ?? "")
        rows = table.dropFirst(2).map(Self.cells)
    }

    /// The rows whose first cell is `run`.
    func rows(of run: String) -> [[String]] {
        rows.filter { $0.first == run }
    }

    static func cells(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var escaped = false
        for character in line.dropFirst() {
            if escaped {
                current.append("\\")
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "|" {
                cells.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells.map(unescape)
    }

    static func unescape(_ raw: String) -> String {
        var cell = raw.trimmingCharacters(in: .whitespaces)
        if cell.hasPrefix("`") && cell.hasSuffix("`") {
            let fence = cell.prefix { $0 == "`" }
            cell = String(cell.dropFirst(fence.count).dropLast(fence.count))
            if fence.count > 1 { cell = String(cell.dropFirst().dropLast()) }
            return cell.replacingOccurrences(of: "\\|", with: "|")
        }
        var plain = ""
        var escaped = false
        for character in cell {
            if escaped {
                plain.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                plain.append(character)
            }
        }
        return plain.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
