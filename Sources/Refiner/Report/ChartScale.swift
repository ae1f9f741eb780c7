import Foundation

/// Maps values to pixels along one axis, with round tick values, so every
/// chart's axis starts at zero (or below it for net effects) and reads in
/// steps of 1, 2 or 5.
struct ChartScale: Sendable {
    var lower: Double
    var upper: Double
    /// Pixel positions of `lower` and `upper` (a y axis runs upwards, so
    /// its `lowerPixel` is the larger number).
    var lowerPixel: Double
    var upperPixel: Double
    var ticks: [Double]

    /// A scale over `minimum...maximum` widened to round ticks; counts
    /// (`wholeSteps`) never get fractional ticks.
    init(
        minimum: Double, maximum: Double, lowerPixel: Double, upperPixel: Double, tickCount: Int = 5, wholeSteps: Bool = false
    ) {
        let low = min(minimum, 0)
        let high = max(maximum, low + 1e-9, 0)
        var step = Self.niceStep((high - low) / Double(max(tickCount, 1)))
        if wholeSteps { step = max(step.rounded(.up), 1) }
        lower = (low / step).rounded(.down) * step
        upper = max((high / step).rounded(.up) * step, lower + step)
        self.lowerPixel = lowerPixel
        self.upperPixel = upperPixel
        var ticks: [Double] = []
        var tick = lower
        while tick <= upper + step * 1e-6 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        self.ticks = ticks
    }

    /// A fixed 0–100 % scale for pass@1 and fix rates: shares are always
    /// drawn on the whole range so charts can be compared by eye.
    static func share(lowerPixel: Double, upperPixel: Double) -> ChartScale {
        var scale = ChartScale(minimum: 0, maximum: 1, lowerPixel: lowerPixel, upperPixel: upperPixel)
        scale.lower = 0
        scale.upper = 1
        scale.ticks = [0, 0.2, 0.4, 0.6, 0.8, 1]
        return scale
    }

    func callAsFunction(_ value: Double) -> Double {
        guard upper > lower else { return lowerPixel }
        return lowerPixel + (value - lower) / (upper - lower) * (upperPixel - lowerPixel)
    }

    /// 1, 2 or 5 times a power of ten, at least `raw`.
    static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let fraction = raw / magnitude
        let nice: Double = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10
        return max(nice * magnitude, 1e-9)
    }
}
