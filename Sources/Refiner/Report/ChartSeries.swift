/// One coloured series of a bar chart, named in its legend: the same
/// colour stands for the same thing everywhere in a chart.
struct ChartSeries: Sendable {
    var name: String
    var color: String
}
