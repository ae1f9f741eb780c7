import Foundation

/// Draws one inline SVG chart element by element. Every string that goes
/// in (labels, tooltips) is escaped here, so chart code cannot forget to;
/// coordinates are written with one decimal to keep the page small.
struct SVGCanvas: Sendable {
    enum Anchor: String, Sendable {
        case start, middle, end
    }

    let width: Double
    let height: Double
    private var elements: [String] = []

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func number(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(format: "%.1f", rounded)
    }

    private static func tooltip(_ text: String?) -> String {
        text.map { "<title>\(Markup.html($0))</title>" } ?? ""
    }

    /// A filled rectangle; a tooltip shows the exact value on hover.
    mutating func rect(
        x: Double, y: Double, width: Double, height: Double, fill: String, opacity: Double = 1, tooltip: String? = nil
    ) {
        let n = Self.number
        let opacityAttribute = opacity < 1 ? String(format: " fill-opacity=\"%.2f\"", opacity) : ""
        let shape = "x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(max(width, 0)))\" height=\"\(n(max(height, 0)))\" fill=\"\(fill)\"\(opacityAttribute)"
        if let tooltip {
            elements.append("<rect \(shape)>\(Self.tooltip(tooltip))</rect>")
        } else {
            elements.append("<rect \(shape)/>")
        }
    }

    mutating func line(
        x1: Double, y1: Double, x2: Double, y2: Double, stroke: String, width: Double = 1, dashed: Bool = false
    ) {
        let n = Self.number
        elements.append(
            "<line x1=\"\(n(x1))\" y1=\"\(n(y1))\" x2=\"\(n(x2))\" y2=\"\(n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(n(width))\""
                + (dashed ? " stroke-dasharray=\"4 3\"" : "") + "/>")
    }

    mutating func text(
        _ string: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 12, weight: Int = 400,
        fill: String = ReportPalette.ink, rotate: Double? = nil
    ) {
        let n = Self.number
        var attributes = "x=\"\(n(x))\" y=\"\(n(y))\" font-size=\"\(n(size))\" fill=\"\(fill)\""
        if anchor != .start { attributes += " text-anchor=\"\(anchor.rawValue)\"" }
        if weight != 400 { attributes += " font-weight=\"\(weight)\"" }
        if let rotate { attributes += " transform=\"rotate(\(n(rotate)) \(n(x)) \(n(y)))\"" }
        elements.append("<text \(attributes)>\(Markup.html(string))</text>")
    }

    /// A path from commands built with ``number(_:)``.
    mutating func path(
        _ commands: String, fill: String = "none", opacity: Double = 1, stroke: String? = nil, strokeWidth: Double = 1,
        tooltip: String? = nil
    ) {
        var attributes = "d=\"\(commands)\" fill=\"\(fill)\""
        if opacity < 1 { attributes += String(format: " fill-opacity=\"%.2f\"", opacity) }
        if let stroke { attributes += " stroke=\"\(stroke)\" stroke-width=\"\(Self.number(strokeWidth))\" stroke-linejoin=\"round\"" }
        elements.append(tooltip == nil ? "<path \(attributes)/>" : "<path \(attributes)>\(Self.tooltip(tooltip))</path>")
    }

    mutating func circle(x: Double, y: Double, radius: Double, fill: String, stroke: String = "#ffffff", tooltip: String? = nil) {
        let n = Self.number
        elements.append(
            "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"\(n(radius))\" fill=\"\(fill)\" stroke=\"\(stroke)\" stroke-width=\"1.5\">"
                + Self.tooltip(tooltip) + "</circle>")
    }

    /// A row of colour keys starting at (x, y), wrapping before `maxX`;
    /// returns the height it took.
    @discardableResult
    mutating func legend(_ entries: [(label: String, color: String)], x: Double, y: Double, maxX: Double) -> Double {
        let layout = Self.legendLayout(entries.map(\.label), x: x, maxX: maxX)
        for (entry, position) in zip(entries, layout.positions) {
            rect(x: position.x, y: y + position.y, width: 12, height: 12, fill: entry.color)
            text(entry.label, x: position.x + 17, y: y + position.y + 10.5, size: 12, fill: ReportPalette.ink)
        }
        return layout.height
    }

    /// Where each key of a legend goes (relative to its top) and the
    /// height it takes: charts reserve the space before drawing.
    static func legendLayout(_ labels: [String], x: Double, maxX: Double) -> (positions: [(x: Double, y: Double)], height: Double) {
        var cursor = x
        var row = 0.0
        var positions: [(x: Double, y: Double)] = []
        for label in labels {
            let width = 18 + textWidth(label, size: 12) + 18
            if cursor + width > maxX && cursor > x {
                cursor = x
                row += 18
            }
            positions.append((cursor, row))
            cursor += width
        }
        return (positions, labels.isEmpty ? 0 : row + 18)
    }

    /// An estimate of how wide text is drawn, for layout without a font:
    /// generous, so labels do not collide.
    static func textWidth(_ string: String, size: Double) -> Double {
        Double(string.count) * size * 0.6
    }

    /// The finished element: scalable to the page width, described for
    /// screen readers by `title`.
    func svg(title: String) -> String {
        let n = Self.number
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(n(width)) \(n(height))\" width=\"\(n(width))\" "
            + "height=\"\(n(height))\" role=\"img\" aria-label=\"\(Markup.html(title))\" class=\"chart\">\n"
            + "<title>\(Markup.html(title))</title>\n" + elements.joined(separator: "\n") + "\n</svg>"
    }
}
