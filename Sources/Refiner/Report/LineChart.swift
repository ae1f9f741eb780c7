/// pass@1 against the number of refinement iterations allowed, one line
/// per run: the mean over the folder's runs, a shaded band from its lowest
/// to its highest run and whiskers of one standard deviation, so a reader
/// sees at a glance whether refinement moves pass@1 beyond run-to-run noise.
struct LineChart: Sendable {
    struct Point: Sendable {
        var x: Int
        var spread: RunSummary.Spread
    }

    struct Series: Sendable {
        var name: String
        var color: String
        var points: [Point]
    }

    var series: [Series]
    var xTitle: String
    var yTitle: String
    var width = 960.0
    var plotHeight = 280.0

    func svg(title: String) -> String {
        let left = 72.0
        let right = 32.0
        let legendTop = 10.0
        let legendHeight = SVGCanvas.legendLayout(series.map(\.name), x: left, maxX: width - right).height
        let top = legendTop + legendHeight + 18
        let bottom = top + plotHeight
        var chart = SVGCanvas(width: width, height: bottom + 52)
        chart.legend(series.map { ($0.name, $0.color) }, x: left, y: legendTop, maxX: width - right)

        let y = ChartScale.share(lowerPixel: bottom, upperPixel: top)
        let lastX = max(series.flatMap { $0.points.map(\.x) }.max() ?? 1, 1)
        let inset = 28.0
        let x = { (value: Int) in left + inset + Double(value) / Double(lastX) * (width - left - right - 2 * inset) }
        for tick in y.ticks {
            chart.line(x1: left, y1: y(tick), x2: width - right, y2: y(tick), stroke: tick == 0 ? ReportPalette.muted : ReportPalette.grid)
            chart.text("\(Int((tick * 100).rounded()))%", x: left - 8, y: y(tick) + 4, anchor: .end, size: 11, fill: ReportPalette.muted)
        }
        for value in 0...lastX {
            chart.line(x1: x(value), y1: bottom, x2: x(value), y2: bottom + 5, stroke: ReportPalette.muted)
            chart.text("\(value)", x: x(value), y: bottom + 19, anchor: .middle, size: 12)
        }
        chart.text(yTitle, x: 18, y: (top + bottom) / 2, anchor: .middle, size: 12, fill: ReportPalette.muted, rotate: -90)
        chart.text(xTitle, x: (left + width - right) / 2, y: bottom + 42, anchor: .middle, size: 12, fill: ReportPalette.muted)

        let n = SVGCanvas.number
        // Bands first, so every line is drawn above every band.
        for line in series where line.points.contains(where: { $0.spread.values.count > 1 }) {
            let upper = line.points.map { "\(n(x($0.x))) \(n(y($0.spread.values.max() ?? $0.spread.mean)))" }
            let lower = line.points.reversed().map { "\(n(x($0.x))) \(n(y($0.spread.values.min() ?? $0.spread.mean)))" }
            chart.path("M " + (upper + lower).joined(separator: " L ") + " Z", fill: line.color, opacity: 0.16)
        }
        for (index, line) in series.enumerated() {
            // Runs sharing a value would hide each other: nudge sideways.
            let nudge = (Double(index) - Double(series.count - 1) / 2) * 3
            let points = line.points.map { (x: x($0.x) + nudge, point: $0) }
            chart.path(
                "M " + points.map { "\(n($0.x)) \(n(y($0.point.spread.mean)))" }.joined(separator: " L "), stroke: line.color,
                strokeWidth: 2.5)
            for (px, point) in points {
                let spread = point.spread
                if spread.values.count > 1 && spread.standardDeviation > 0 {
                    let low = max(spread.mean - spread.standardDeviation, 0)
                    let high = min(spread.mean + spread.standardDeviation, 1)
                    chart.line(x1: px, y1: y(low), x2: px, y2: y(high), stroke: line.color, width: 1.5)
                    chart.line(x1: px - 4, y1: y(low), x2: px + 4, y2: y(low), stroke: line.color, width: 1.5)
                    chart.line(x1: px - 4, y1: y(high), x2: px + 4, y2: y(high), stroke: line.color, width: 1.5)
                }
                var tooltip = "\(line.name), iteration \(point.x): pass@1 \(ReportFormat.spread(spread))"
                if let range = ReportFormat.range(spread) { tooltip += " (runs \(range))" }
                chart.circle(x: px, y: y(spread.mean), radius: 4.5, fill: line.color, tooltip: tooltip)
            }
        }
        return chart.svg(title: title)
    }
}
