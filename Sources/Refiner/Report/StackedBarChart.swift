/// Horizontal bars split into parts, one bar per row: where a run's tokens
/// or seconds per task went (generator against refiner, models against
/// sandbox against the rest), with the total printed at the end.
struct StackedBarChart: Sendable {
    typealias Series = ChartSeries

    struct Row: Sendable {
        var label: String
        /// One value per series, in series order.
        var values: [Double]
        /// Printed after the bar.
        var total: String
    }

    var series: [Series]
    var rows: [Row]
    var valueTitle: String
    /// Formats the axis ticks (a unit suffix, grouping).
    var unit: String
    var width = 960.0

    func svg(title: String) -> String {
        let left = 64.0
        let right = 120.0
        let legendTop = 10.0
        let legendHeight = SVGCanvas.legendLayout(series.map(\.name), x: left, maxX: width - 24).height
        let top = legendTop + legendHeight + 14
        let barHeight = 24.0
        let gap = 12.0
        let bottom = top + Double(rows.count) * (barHeight + gap)
        let height = bottom + 48
        var chart = SVGCanvas(width: width, height: height)
        chart.legend(series.map { ($0.name, $0.color) }, x: left, y: legendTop, maxX: width - 24)

        let largest = rows.map { $0.values.reduce(0, +) }.max() ?? 0
        let scale = ChartScale(minimum: 0, maximum: max(largest, 1e-9), lowerPixel: left, upperPixel: width - right)
        for tick in scale.ticks {
            let x = scale(tick)
            chart.line(x1: x, y1: top - 4, x2: x, y2: bottom, stroke: tick == 0 ? ReportPalette.muted : ReportPalette.grid)
            let tickLabel = tick >= 100 || tick == tick.rounded() ? ReportFormat.count(tick) : SVGCanvas.number(tick)
            chart.text(tickLabel, x: x, y: bottom + 16, anchor: .middle, size: 11, fill: ReportPalette.muted)
        }
        for (rowIndex, row) in rows.enumerated() {
            let y = top + Double(rowIndex) * (barHeight + gap) + gap / 2
            chart.text(row.label, x: left - 10, y: y + barHeight / 2 + 4.5, anchor: .end, size: 12, weight: 600)
            var start = 0.0
            for (seriesIndex, value) in row.values.enumerated() where seriesIndex < series.count && value > 0 {
                let x1 = scale(start)
                let x2 = scale(start + value)
                chart.rect(
                    x: x1, y: y, width: x2 - x1, height: barHeight, fill: series[seriesIndex].color,
                    tooltip: "\(row.label) \(series[seriesIndex].name): \(SVGCanvas.number(value)) \(unit)")
                start += value
            }
            chart.text(row.total, x: scale(start) + 8, y: y + barHeight / 2 + 4.5, size: 12, fill: ReportPalette.ink)
        }
        chart.text(valueTitle, x: left + (width - right - left) / 2, y: bottom + 38, anchor: .middle, size: 12, fill: ReportPalette.muted)
        return chart.svg(title: title)
    }
}
