import AsyncHTTPClient
import Foundation
import NIOCore

extension OpenAICompatibleClient {
    /// Classifies a failure of `HTTPClient.execute` or of reading the body.
    ///
    /// Connection failures are the ones a server restart can cure, so the
    /// split matters: errors raised while connecting (refused, no route,
    /// DNS, connect timeout) become ``ModelClientError/unreachable(url:reason:)``,
    /// a connection that dies under a request becomes
    /// ``ModelClientError/connectionLost(url:reason:)``, and everything
    /// else is reported as it is.
    static func transportError(_ error: any Error, url: String, timeout: Duration) -> any Error {
        if error is CancellationError { return error }
        if let error = error as? ModelClientError { return error }
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .writeTimeout:
                return ModelClientError.timeout(url: url, after: timeout)
            case .connectTimeout:
                return ModelClientError.unreachable(url: url, reason: "connection attempt timed out")
            case .remoteConnectionClosed:
                return ModelClientError.connectionLost(url: url, reason: "connection closed by the server")
            case .cancelled, .requestStreamCancelled:
                // AsyncHTTPClient reports our own task's cancellation this way.
                if Task.isCancelled { return CancellationError() }
                return ModelClientError.connectionLost(url: url, reason: "request cancelled by the HTTP client")
            case .invalidURL, .emptyHost, .emptyScheme:
                return ModelClientError.invalidEndpoint(url, reason: "\(error)")
            default:
                return ModelClientError.requestFailed(url: url, reason: "\(error)")
            }
        }
        if error is NIOTooManyBytesError {
            return ModelClientError.malformedResponse(
                url: url, reason: "reply larger than \(maxResponseBytes / (1024 * 1024)) MiB")
        }
        if let error = error as? IOError {
            return ioFailure(errno: error.errnoCode, url: url)
        }
        if let error = error as? ChannelError {
            switch error {
            case .connectTimeout:
                return ModelClientError.unreachable(url: url, reason: "connection attempt timed out")
            case .ioOnClosedChannel, .eof, .alreadyClosed, .outputClosed, .inputClosed:
                return ModelClientError.connectionLost(url: url, reason: "connection closed")
            default:
                return ModelClientError.requestFailed(url: url, reason: "\(error)")
            }
        }
        if let reason = connectFailureReason(error) {
            return ModelClientError.unreachable(url: url, reason: reason)
        }
        if Task.isCancelled { return CancellationError() }
        return ModelClientError.requestFailed(url: url, reason: "\(error)")
    }

    /// A system-call failure: errors that can only happen while connecting
    /// mean unreachable, the rest mean the connection broke.
    static func ioFailure(errno code: Int32, url: String) -> ModelClientError {
        let reason = String(cString: strerror(code))
        switch code {
        case ECONNREFUSED, EHOSTUNREACH, ENETUNREACH, EHOSTDOWN, ETIMEDOUT, EADDRNOTAVAIL:
            return .unreachable(url: url, reason: reason)
        default:
            return .connectionLost(url: url, reason: reason)
        }
    }

    /// The reason for a failed connection attempt when `error` is NIOPosix's
    /// `NIOConnectionError`, which AsyncHTTPClient passes through for
    /// refused connections and DNS failures. Refiner depends on NIOCore
    /// only, so the type is recognised by name and read through its public
    /// stored properties (`dnsAError`, `dnsAAAAError`, `connectionErrors`),
    /// which keeps the message to the underlying cause ("Connection
    /// refused") instead of NIO's nested dump.
    static func connectFailureReason(_ error: any Error) -> String? {
        guard String(reflecting: type(of: error)) == "NIOPosix.NIOConnectionError" else { return nil }
        let mirror = Mirror(reflecting: error)
        if let dnsError = (mirror.descendant("dnsAError") as? any Error)
            ?? (mirror.descendant("dnsAAAAError") as? any Error)
        {
            return "DNS lookup failed (\(dnsError))"
        }
        var reasons: [String] = []
        for failure in mirror.descendant("connectionErrors") as? [Any] ?? [] {
            guard let cause = Mirror(reflecting: failure).descendant("error") as? any Error else { continue }
            let reason = (cause as? IOError).map { String(cString: strerror($0.errnoCode)) } ?? "\(cause)"
            if !reasons.contains(reason) { reasons.append(reason) }
        }
        return reasons.isEmpty ? "\(error)" : reasons.joined(separator: "; ")
    }

    /// The server's own message from an error body, else the body's first
    /// bytes on one line.
    static func errorMessage(in body: ByteBuffer) -> String {
        if let decoded = try? JSONDecoder().decode(OpenAIWire.ErrorResponse.self, from: Data(body.readableBytesView)),
            let message = decoded.message
        {
            return oneLine(message, limit: 500)
        }
        return snippet(of: body)
    }

    /// The first bytes of `body` on one line, for messages about bad replies.
    static func snippet(of body: ByteBuffer, limit: Int = 200) -> String {
        let text = String(decoding: body.readableBytesView.prefix(limit * 4), as: UTF8.self)
        if text.isEmpty { return "(empty body)" }
        return oneLine(text, limit: limit)
    }

    /// `text` with its whitespace runs collapsed, cut to `limit` characters.
    static func oneLine(_ text: String, limit: Int) -> String {
        let collapsed = text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        return collapsed.count > limit ? String(collapsed.prefix(limit)) + "…" : collapsed
    }

    /// What a `DecodingError` says, without its coding-path noise.
    static func describeDecodingError(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ context: DecodingError.Context) -> String {
            let keys = context.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
            return keys.isEmpty ? "top level" : keys.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \(key.stringValue) at \(path(context))"
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "unexpected value at \(path(context)): \(context.debugDescription)"
        case .dataCorrupted(let context):
            return "not valid JSON (\(context.underlyingError.map { "\($0)" } ?? context.debugDescription))"
        @unknown default:
            return "\(error)"
        }
    }
}
