/// The report as Markdown: the same sections, notes and tables (so the
/// same numbers) as the HTML page, without the charts; for a README, a
/// pull request or a terminal.
public struct MarkdownSummary: Sendable {
    /// The whole Markdown document, ready to write to `report.md` or paste
    /// into a pull request.
    public let text: String

    /// Writes `report`'s sections as headings, paragraphs and tables.
    public init(_ report: RunReport) {
        var blocks = [
            "# Refinement report: \(Markup.markdown(report.suiteName))",
            report.subtitle.markdown + "  \nDataset SHA-256 " + Markup.markdownCode(report.datasetSHA256),
        ]
        let notes = report.notes
        if !notes.isEmpty {
            blocks.append("## Read this first")
            blocks.append(notes.map { "- " + $0.markdown }.joined(separator: "\n"))
        }
        for section in report.sections {
            blocks.append("## \(Markup.markdown(section.title))")
            blocks += section.paragraphs.map(\.markdown)
            blocks += section.tables.map(\.markdown)
        }
        blocks.append("---")
        blocks.append(report.colophon.markdown + " The charts are in the HTML page written beside this file.")
        text = blocks.joined(separator: "\n\n") + "\n"
    }
}
