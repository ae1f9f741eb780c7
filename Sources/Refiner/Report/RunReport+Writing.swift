import Foundation

/// Writing the report's two files. Each is written whole to a temporary
/// file beside its destination and renamed over it, so a reader (or a
/// crash) never sees a half-written report.
extension RunReport {
    /// The page's file name in the output folder.
    public static let htmlFileName = "report.html"
    /// The Markdown summary's file name in the output folder.
    public static let markdownFileName = "report.md"

    /// Writes `report.html` and `report.md` into `directory` (created if
    /// missing) and returns where they are.
    public func write(to directory: URL) throws -> (html: URL, markdown: URL) {
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw ReportError("cannot create \(directory.path): \(error.localizedDescription)")
        }
        let html = directory.appendingPathComponent(Self.htmlFileName)
        let markdown = directory.appendingPathComponent(Self.markdownFileName)
        for (url, text) in [(html, ReportDocument(self).html), (markdown, MarkdownSummary(self).text)] {
            do {
                try Data(text.utf8).write(to: url, options: .atomic)
            } catch {
                throw ReportError("cannot write \(url.path): \(error.localizedDescription)")
            }
        }
        return (html, markdown)
    }
}
