import Foundation

/// Escaping for text that comes from files (task ids, commands, model
/// names, paths) on its way into HTML, SVG or Markdown: a report must show
/// such text as it is, never let it become markup.
enum Markup {
    /// Text safe in HTML and SVG element content and in quoted attributes.
    static func html(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            case "\u{0}"..."\u{8}", "\u{B}", "\u{C}", "\u{E}"..."\u{1F}", "\u{7F}": escaped += "\u{FFFD}"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }

    /// Prose for Markdown: characters that would start markup are
    /// backslash-escaped, angle brackets become entities (so no raw HTML
    /// gets through), and line breaks become spaces so a table cell stays
    /// one cell.
    static func markdown(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "`", "*", "_", "[", "]", "|", "#", "~":
                escaped += "\\\(character)"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "&": escaped += "&amp;"
            case "\n", "\r", "\r\n", "\t": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }

    /// A Markdown code span holding `text` verbatim: the fence is one
    /// backtick longer than the longest run inside, and pipes are escaped
    /// (GitHub tables split cells on them even inside code).
    static func markdownCode(_ text: String) -> String {
        let flat = text.map { $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : String($0) }.joined()
        var longest = 0
        var current = 0
        for character in flat {
            current = character == "`" ? current + 1 : 0
            longest = max(longest, current)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let padded = longest > 0 || flat.hasPrefix(" ") || flat.hasSuffix(" ") ? " \(flat) " : flat
        return fence + padded.replacingOccurrences(of: "|", with: "\\|") + fence
    }
}
