import Foundation

extension BenchmarkTask {
    /// The line of ``plainProgram(for:)`` on which the tests begin: after
    /// the code's lines and the blank line between (Python counts `\r\n`,
    /// `\r` and `\n` as line ends).
    func testsFirstLine(after code: String) -> Int {
        let normalized = code.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        return normalized.reduce(0) { $1 == "\n" ? $0 + 1 : $0 } + 3
    }
}
