import Dispatch

/// Runs file work that takes seconds (hashing or copying a 1 GB model) on a
/// Dispatch worker instead of a Swift concurrency thread, so the cooperative
/// pool (two threads on a two-core machine) keeps serving other tasks.
enum BlockingIO {
    private static let queue = DispatchQueue(label: "refine.models.blocking-io", qos: .utility, attributes: .concurrent)

    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try body() })
            }
        }
    }
}
