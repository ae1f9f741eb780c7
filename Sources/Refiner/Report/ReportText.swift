/// A run of prose with code spans, written once and rendered both as HTML
/// and as Markdown, so the page and the summary say the same thing and
/// values from files (names, paths, commands) are escaped in either form.
struct ReportText: Sendable, Hashable {
    /// One piece of the text.
    enum Span: Sendable, Hashable {
        /// Prose.
        case text(String)
        /// Verbatim: flags, labels, names, paths, hashes.
        case code(String)
        /// Prose set in bold, for the word a note is about.
        case strong(String)
    }

    var spans: [Span]

    init(_ spans: Span...) {
        self.spans = spans
    }

    /// Plain prose built from pieces.
    init(_ text: String) {
        spans = [.text(text)]
    }

    init(spans: [Span]) {
        self.spans = spans
    }

    /// The text for an HTML page.
    var html: String {
        spans.map { span in
            switch span {
            case .text(let text): return Markup.html(text)
            case .code(let text): return "<code>\(Markup.html(text))</code>"
            case .strong(let text): return "<strong>\(Markup.html(text))</strong>"
            }
        }.joined()
    }

    /// The text for a Markdown document.
    var markdown: String {
        spans.map { span in
            switch span {
            case .text(let text): return Markup.markdown(text)
            case .code(let text): return Markup.markdownCode(text)
            case .strong(let text): return "**\(Markup.markdown(text))**"
            }
        }.joined()
    }

    /// The text without markup, for the terminal.
    var plain: String {
        spans.map { span in
            switch span {
            case .text(let text), .code(let text), .strong(let text): return text
            }
        }.joined()
    }
}
