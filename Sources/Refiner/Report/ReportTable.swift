/// A table of the report, built once from the journal's numbers and
/// rendered both into the HTML page and into the Markdown summary: the two
/// cannot disagree, because they print the same cells.
struct ReportTable: Sendable, Hashable {
    /// Numbers align on the right, words on the left.
    enum Alignment: Sendable, Hashable {
        case leading
        case trailing
    }

    struct Column: Sendable, Hashable {
        var title: String
        var alignment: Alignment

        init(_ title: String, _ alignment: Alignment = .leading) {
            self.title = title
            self.alignment = alignment
        }
    }

    /// One cell: its text, whether it is verbatim (a name, path, hash or
    /// label from a file), and, on the page only, a colour key.
    struct Cell: Sendable, Hashable {
        var text: String
        var isCode: Bool
        /// The chart colour this row stands for, shown as a swatch in HTML.
        var swatch: String?

        init(_ text: String, code: Bool = false, swatch: String? = nil) {
            self.text = text
            self.isCode = code
            self.swatch = swatch
        }

        static func code(_ text: String, swatch: String? = nil) -> Cell {
            Cell(text, code: true, swatch: swatch)
        }
    }

    /// A short anchor name, unique in the report.
    var id: String
    var title: String
    var columns: [Column]
    var rows: [[Cell]]
    /// What the table holds and how it was computed.
    var note: ReportText?

    // MARK: - Rendering

    var markdown: String {
        var lines = ["**\(Markup.markdown(title))**", ""]
        lines.append("| " + columns.map { Markup.markdown($0.title) }.joined(separator: " | ") + " |")
        lines.append("| " + columns.map { $0.alignment == .trailing ? "---:" : "---" }.joined(separator: " | ") + " |")
        for row in rows {
            lines.append(
                "| "
                    + row.map { cell in
                        cell.isCode ? Markup.markdownCode(cell.text) : Markup.markdown(cell.text)
                    }.joined(separator: " | ") + " |")
        }
        if let note {
            lines.append("")
            lines.append(note.markdown)
        }
        return lines.joined(separator: "\n")
    }

    var html: String {
        var html = "<div class=\"table-block\" id=\"\(Markup.html(id))\">\n"
        html += "<div class=\"table-title\">\(Markup.html(title))</div>\n<div class=\"table-wrap\"><table>\n<thead><tr>"
        for column in columns {
            html += "<th\(column.alignment == .trailing ? " class=\"num\"" : "")>\(Markup.html(column.title))</th>"
        }
        html += "</tr></thead>\n<tbody>\n"
        for row in rows {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                let trailing = index < columns.count && columns[index].alignment == .trailing
                var content = Markup.html(cell.text)
                if cell.isCode { content = "<code>\(content)</code>" }
                if let swatch = cell.swatch {
                    content = "<span class=\"keyed\"><span class=\"swatch\" style=\"background:\(Markup.html(swatch))\"></span>\(content)</span>"
                }
                html += "<td\(trailing ? " class=\"num\"" : "")>\(content)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody></table></div>\n"
        if let note {
            html += "<p class=\"table-note\">\(note.html)</p>\n"
        }
        return html + "</div>\n"
    }
}
