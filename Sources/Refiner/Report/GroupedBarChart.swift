/// Vertical bars in groups, one bar per series: first attempt against
/// refined pass@1 per run, fix rates per error type, fixed against broken
/// per iteration (negative values hang below the zero line). Values can
/// carry a whisker (the spread over runs) and a printed label.
struct GroupedBarChart: Sendable {
    typealias Series = ChartSeries

    struct Bar: Sendable {
        var value: Double
        /// The whisker's ends, when the value is a mean over runs.
        var low: Double?
        var high: Double?
        /// Printed at the end of the bar.
        var label: String
        /// Shown on hover: the exact numbers.
        var tooltip: String
        /// Overrides the series colour (a fix-rate bar takes its label's).
        var color: String?

        init(value: Double, low: Double? = nil, high: Double? = nil, label: String, tooltip: String, color: String? = nil) {
            self.value = value
            self.low = low
            self.high = high
            self.label = label
            self.tooltip = tooltip
            self.color = color
        }
    }

    struct Group: Sendable {
        var label: String
        /// One per series; nil where a series has no value here.
        var bars: [Bar?]
        /// Consecutive groups with the same cluster are bracketed under
        /// one name (the run their iterations belong to).
        var cluster: String?
    }

    var series: [Series]
    var groups: [Group]
    /// Shares draw on a fixed 0–100 % axis; counts on a rounded one.
    var isShare: Bool
    var valueTitle: String
    var groupTitle: String
    var width = 960.0
    var plotHeight = 260.0
    /// Hide the legend when a single series says nothing beyond the title.
    var showsLegend = true

    func svg(title: String) -> String {
        let left = 72.0
        let right = 24.0
        let legendTop = 10.0
        let legendHeight =
            showsLegend ? SVGCanvas.legendLayout(series.map(\.name), x: left, maxX: width - right).height + 14 : 8
        let top = legendTop + legendHeight + 8
        let hasClusters = groups.contains { $0.cluster != nil }
        let bottom = top + plotHeight
        let height = bottom + 30 + (hasClusters ? 26 : 0) + 26
        var chart = SVGCanvas(width: width, height: height)
        if showsLegend {
            chart.legend(series.map { ($0.name, $0.color) }, x: left, y: legendTop, maxX: width - right)
        }

        let values = groups.flatMap { $0.bars.compactMap { $0 } }.flatMap { [$0.value, $0.low ?? $0.value, $0.high ?? $0.value] }
        let scale =
            isShare
            ? ChartScale.share(lowerPixel: bottom, upperPixel: top)
            : ChartScale(
                minimum: (values.min() ?? 0) * 1.15, maximum: max(values.max() ?? 1, 1) * 1.15, lowerPixel: bottom, upperPixel: top,
                wholeSteps: true)
        for tick in scale.ticks {
            let y = scale(tick)
            chart.line(x1: left, y1: y, x2: width - right, y2: y, stroke: tick == 0 ? ReportPalette.muted : ReportPalette.grid)
            chart.text(
                isShare ? "\(Int((tick * 100).rounded()))%" : ReportFormat.count(Int(tick.rounded())), x: left - 8, y: y + 4,
                anchor: .end, size: 11, fill: ReportPalette.muted)
        }
        chart.text(valueTitle, x: 18, y: (top + bottom) / 2, anchor: .middle, size: 12, fill: ReportPalette.muted, rotate: -90)

        let plotWidth = width - left - right
        let groupWidth = plotWidth / Double(max(groups.count, 1))
        let barWidth = min(56, groupWidth * 0.74 / Double(max(series.count, 1)))
        let labelSize = barWidth >= 34 ? 11.0 : barWidth >= 22 ? 9.5 : 0
        for (groupIndex, group) in groups.enumerated() {
            let groupX = left + Double(groupIndex) * groupWidth
            let barsX = groupX + (groupWidth - barWidth * Double(series.count)) / 2
            for (seriesIndex, bar) in group.bars.enumerated() {
                guard let bar, seriesIndex < series.count else { continue }
                let x = barsX + Double(seriesIndex) * barWidth
                let zero = scale(0)
                let end = scale(bar.value)
                chart.rect(
                    x: x + 1, y: min(zero, end), width: barWidth - 2, height: abs(zero - end),
                    fill: bar.color ?? series[seriesIndex].color, tooltip: bar.tooltip)
                if let low = bar.low, let high = bar.high, high > low {
                    let center = x + barWidth / 2
                    chart.line(x1: center, y1: scale(low), x2: center, y2: scale(high), stroke: ReportPalette.ink, width: 1.4)
                    for cap in [low, high] {
                        chart.line(x1: center - 5, y1: scale(cap), x2: center + 5, y2: scale(cap), stroke: ReportPalette.ink, width: 1.4)
                    }
                }
                if labelSize > 0 && !bar.label.isEmpty {
                    let whiskerEnd = bar.value >= 0 ? max(bar.value, bar.high ?? bar.value) : min(bar.value, bar.low ?? bar.value)
                    let y = bar.value >= 0 ? scale(whiskerEnd) - 5 : scale(whiskerEnd) + labelSize + 3
                    chart.text(bar.label, x: x + barWidth / 2, y: y, anchor: .middle, size: labelSize, fill: ReportPalette.ink)
                }
            }
            let groupLabelSize = groupWidth >= SVGCanvas.textWidth(group.label, size: 12) + 6 ? 12.0 : 10.0
            chart.text(group.label, x: groupX + groupWidth / 2, y: bottom + 18, anchor: .middle, size: groupLabelSize)
        }
        var clusterY = bottom + 30.0
        if hasClusters {
            var start = 0
            while start < groups.count {
                var end = start
                while end + 1 < groups.count && groups[end + 1].cluster == groups[start].cluster { end += 1 }
                if let name = groups[start].cluster {
                    let x1 = left + Double(start) * groupWidth + 4
                    let x2 = left + Double(end + 1) * groupWidth - 4
                    chart.line(x1: x1, y1: clusterY, x2: x2, y2: clusterY, stroke: ReportPalette.muted)
                    chart.text(name, x: (x1 + x2) / 2, y: clusterY + 16, anchor: .middle, size: 12, weight: 600)
                }
                start = end + 1
            }
            clusterY += 26
        }
        chart.text(groupTitle, x: left + plotWidth / 2, y: clusterY + 14, anchor: .middle, size: 12, fill: ReportPalette.muted)
        return chart.svg(title: title)
    }
}
