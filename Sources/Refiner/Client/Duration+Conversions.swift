import NIOCore

extension Duration {
    /// The duration as fractional seconds, for journals and messages.
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }

    /// The duration as NIO's `TimeAmount`, for AsyncHTTPClient deadlines;
    /// saturates rather than overflowing for absurdly long durations.
    var timeAmount: TimeAmount {
        let parts = components
        let (whole, overflow) = parts.seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return .nanoseconds(parts.seconds < 0 ? .min : .max) }
        let (nanos, overflow2) = whole.addingReportingOverflow(parts.attoseconds / 1_000_000_000)
        return .nanoseconds(overflow2 ? .max : nanos)
    }

    /// Seconds written for people: "0.5 s", "600 s".
    var humanReadable: String {
        let value = seconds
        if value == value.rounded() { return "\(Int(value)) s" }
        return "\((value * 1000).rounded() / 1000) s"
    }
}
