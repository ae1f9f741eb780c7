/// How tasks move between outcome labels from the first attempt (left) to
/// the returned attempt (right), drawn as ribbons whose thickness is the
/// number of tasks: the picture of what refinement fixes, what it leaves
/// and what it turns into something else.
struct FlowChart: Sendable {
    var transitions: [RunSummary.Transition]
    var leftTitle = "first attempt"
    var rightTitle = "returned attempt"
    var width = 960.0

    private struct Node {
        var label: String
        var count: Int
        var top: Double = 0
        var height: Double = 0
    }

    private static func nodes(_ counts: [String: Int]) -> [Node] {
        counts.map { Node(label: $0.key, count: $0.value) }
            .sorted { (ReportPalette.labelOrder($0.label), $0.label) < (ReportPalette.labelOrder($1.label), $1.label) }
    }

    func svg(title: String) -> String {
        let flows = transitions.filter { $0.count > 0 }
        var left = Self.nodes(Dictionary(flows.map { ($0.from, $0.count) }, uniquingKeysWith: +))
        var right = Self.nodes(Dictionary(flows.map { ($0.to, $0.count) }, uniquingKeysWith: +))
        let total = flows.map(\.count).reduce(0, +)
        let gap = 16.0
        let top = 44.0
        let plotHeight = max(200, Double(max(left.count, right.count)) * 34)
        let nodeWidth = 18.0
        let leftX = 250.0
        let rightX = width - 250 - nodeWidth
        var chart = SVGCanvas(width: width, height: top + plotHeight + 24)
        chart.text(leftTitle, x: leftX + nodeWidth / 2, y: 22, anchor: .middle, size: 13, weight: 600)
        chart.text(rightTitle, x: rightX + nodeWidth / 2, y: 22, anchor: .middle, size: 13, weight: 600)
        guard total > 0 else {
            chart.text("no finished task", x: width / 2, y: top + 40, anchor: .middle, size: 13, fill: ReportPalette.muted)
            return chart.svg(title: title)
        }
        let scale = (plotHeight - gap * Double(max(left.count, right.count) - 1)) / Double(total)
        func place(_ nodes: inout [Node]) {
            let used = Double(total) * scale + gap * Double(nodes.count - 1)
            var cursor = top + (plotHeight - used) / 2
            for index in nodes.indices {
                nodes[index].top = cursor
                nodes[index].height = max(Double(nodes[index].count) * scale, 1)
                cursor += Double(nodes[index].count) * scale + gap
            }
        }
        place(&left)
        place(&right)

        // Ribbons, in node order on both sides so they do not cross inside a node.
        var leftOffset = Dictionary(uniqueKeysWithValues: left.map { ($0.label, $0.top) })
        var rightOffset = Dictionary(uniqueKeysWithValues: right.map { ($0.label, $0.top) })
        let rightOrder = Dictionary(uniqueKeysWithValues: right.enumerated().map { ($0.element.label, $0.offset) })
        let n = SVGCanvas.number
        for source in left {
            let outgoing = flows.filter { $0.from == source.label }.sorted { rightOrder[$0.to, default: 0] < rightOrder[$1.to, default: 0] }
            for flow in outgoing {
                let thickness = Double(flow.count) * scale
                let y0 = leftOffset[flow.from, default: top]
                let y1 = rightOffset[flow.to, default: top]
                leftOffset[flow.from] = y0 + thickness
                rightOffset[flow.to] = y1 + thickness
                let x0 = leftX + nodeWidth
                let x1 = rightX
                let middle = (x0 + x1) / 2
                let commands =
                    "M \(n(x0)) \(n(y0)) C \(n(middle)) \(n(y0)) \(n(middle)) \(n(y1)) \(n(x1)) \(n(y1)) "
                    + "L \(n(x1)) \(n(y1 + thickness)) C \(n(middle)) \(n(y1 + thickness)) \(n(middle)) \(n(y0 + thickness)) "
                    + "\(n(x0)) \(n(y0 + thickness)) Z"
                let tasks = flow.count == 1 ? "1 task" : "\(flow.count) tasks"
                chart.path(
                    commands, fill: ReportPalette.outcome(flow.from), opacity: 0.38, tooltip: "\(flow.from) → \(flow.to): \(tasks)")
            }
        }
        for node in left {
            chart.rect(
                x: leftX, y: node.top, width: nodeWidth, height: node.height, fill: ReportPalette.outcome(node.label),
                tooltip: "first attempt \(node.label): \(node.count)")
            chart.text("\(node.label)  \(node.count)", x: leftX - 10, y: node.top + node.height / 2 + 4.5, anchor: .end, size: 12.5)
        }
        for node in right {
            chart.rect(
                x: rightX, y: node.top, width: nodeWidth, height: node.height, fill: ReportPalette.outcome(node.label),
                tooltip: "returned attempt \(node.label): \(node.count)")
            chart.text("\(node.count)  \(node.label)", x: rightX + nodeWidth + 10, y: node.top + node.height / 2 + 4.5, size: 12.5)
        }
        return chart.svg(title: title)
    }
}
