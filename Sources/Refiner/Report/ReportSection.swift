/// One part of the report, written once and rendered into both documents:
/// the page shows its figures, tables and text; the Markdown summary shows
/// its text and tables (the same numbers, without the drawings).
struct ReportSection: Sendable {
    /// A chart and the caption saying what it shows and how it was computed.
    struct Figure: Sendable {
        var svg: String
        var caption: ReportText
    }

    /// The anchor on the page.
    var id: String
    var title: String
    /// How the section's numbers were computed.
    var paragraphs: [ReportText]
    var figures: [Figure]
    var tables: [ReportTable]
}
