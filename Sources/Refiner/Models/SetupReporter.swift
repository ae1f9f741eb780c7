import Logging

/// Sends progress to the caller's handler, or to the logger when there is
/// none, so library code reports the same way from every long task.
struct SetupReporter: Sendable {
    let subject: String
    let handler: SetupProgressHandler?
    let logger: Logger

    init(subject: String, handler: SetupProgressHandler?, logger: Logger) {
        self.subject = subject
        self.handler = handler
        self.logger = logger
    }

    func step(_ step: String, fraction: Double? = nil) {
        let progress = SetupProgress(subject: subject, step: step, fraction: fraction)
        if let handler {
            handler(progress)
        } else {
            logger.info("\(progress)")
        }
    }
}
