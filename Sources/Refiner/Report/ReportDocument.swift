/// The report as one self-contained HTML page: inline CSS and inline SVG
/// charts, no script and nothing fetched, so it opens the same anywhere,
/// offline, years later, and can be attached to a paper or an issue.
public struct ReportDocument: Sendable {
    /// The whole page, from `<!DOCTYPE html>` on, ready to write to
    /// `report.html`; it needs no other file.
    public let html: String

    /// Lays out `report`'s sections: notes first, then each section's
    /// text, charts and tables, then how the page was made.
    public init(_ report: RunReport) {
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="generator" content="refine \(Markup.html(report.refineVersion))">
            <title>refine report: \(Markup.html(report.suiteName))</title>
            <style>
            \(Self.style)
            </style>
            </head>
            <body>
            <main>

            """
        page += "<header>\n<h1>Refinement report: \(Markup.html(report.suiteName))</h1>\n"
        page += "<p class=\"subtitle\">\(report.subtitle.html)</p>\n"
        page += "<p class=\"subtitle\">Dataset SHA-256 <code>\(Markup.html(report.datasetSHA256))</code></p>\n</header>\n"
        let sections = report.sections
        page += "<nav><ol>"
        for section in sections {
            page += "<li><a href=\"#\(Markup.html(section.id))\">\(Markup.html(section.title))</a></li>"
        }
        page += "</ol></nav>\n"
        let notes = report.notes
        if !notes.isEmpty {
            page += "<aside class=\"notes\" id=\"notes\">\n<h2>Read this first</h2>\n<ul>\n"
            page += notes.map { "<li>\($0.html)</li>" }.joined(separator: "\n")
            page += "\n</ul>\n</aside>\n"
        }
        for section in sections {
            page += "<section id=\"\(Markup.html(section.id))\">\n<h2>\(Markup.html(section.title))</h2>\n"
            for paragraph in section.paragraphs {
                page += "<p>\(paragraph.html)</p>\n"
            }
            for figure in section.figures {
                page += "<figure>\n\(figure.svg)\n<figcaption>\(figure.caption.html)</figcaption>\n</figure>\n"
            }
            for table in section.tables {
                page += table.html
            }
            page += "</section>\n"
        }
        page += "<footer>\(report.colophon.html)</footer>\n</main>\n</body>\n</html>\n"
        html = page
    }
}
