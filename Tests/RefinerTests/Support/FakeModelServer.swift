import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Refiner

/// A scripted OpenAI-compatible model server on 127.0.0.1, speaking real
/// HTTP so the client and the loop are tested over the same path as with
/// llama-server.
///
/// ```swift
/// try await FakeModelServer.withServer(replies: [.text("def f(): pass"), .die]) { server in
///     let endpoint = try ModelEndpoint(baseURL: server.baseURL)
///     …
///     let requests = await server.requests
/// }
/// ```
///
/// Replies come from a queue, consumed in order, and when it is empty from
/// a handler that sees the decoded request; with neither, the server
/// answers 500 so a test that asks more than it scripted fails loudly.
/// Each server has its own ephemeral port, so tests run in parallel.
actor FakeModelServer {
    typealias Handler = @Sendable (FakeChatRequest) async -> FakeReply
    private typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
    private typealias Listener = NIOAsyncChannel<Connection, Never>

    /// The port, kept across ``restart()``.
    nonisolated let port: Int
    /// `http://127.0.0.1:<port>`, the base URL for ``ModelEndpoint``.
    nonisolated var baseURL: String { "http://127.0.0.1:\(port)" }

    /// Every chat-completion request received, in arrival order.
    private(set) var requests: [FakeChatRequest] = []
    /// Every request line received (`"POST /v1/chat/completions"`), probes included.
    private(set) var requestLines: [String] = []
    /// How readiness probes are answered.
    private(set) var health: FakeHealth = .ready

    private var queue: [FakeReply]
    private var handler: Handler?
    private var listener: Listener?
    private var acceptTask: Task<Void, Never>?
    private var connections: [ObjectIdentifier: any Channel] = [:]

    private init(port: Int, replies: [FakeReply], handler: Handler?) {
        self.port = port
        self.queue = replies
        self.handler = handler
    }

    /// Starts a server on a free port with `replies` queued and `handler`
    /// answering once they run out.
    static func start(replies: [FakeReply] = [], handler: Handler? = nil) async throws -> FakeModelServer {
        let listener = try await bind(port: 0)
        guard let port = listener.channel.localAddress?.port else {
            try? await listener.channel.close().get()
            throw FakeServerError("the listening socket has no port")
        }
        let server = FakeModelServer(port: port, replies: replies, handler: handler)
        await server.accept(on: listener)
        return server
    }

    /// Runs `body` with a started server and stops it afterwards, whether
    /// `body` throws or not.
    static func withServer<Result: Sendable>(
        replies: [FakeReply] = [], handler: Handler? = nil,
        _ body: (FakeModelServer) async throws -> Result
    ) async throws -> Result {
        let server = try await start(replies: replies, handler: handler)
        do {
            let result = try await body(server)
            await server.stop()
            return result
        } catch {
            await server.stop()
            throw error
        }
    }

    /// True while the server accepts connections.
    var isRunning: Bool { listener != nil }

    /// Adds replies to the end of the queue.
    func enqueue(_ replies: FakeReply...) {
        queue.append(contentsOf: replies)
    }

    /// Replaces the handler used once the queue is empty.
    func setHandler(_ handler: Handler?) {
        self.handler = handler
    }

    /// Changes how readiness probes are answered.
    func setHealth(_ health: FakeHealth) {
        self.health = health
    }

    /// Stops listening, drops every connection, cancels replies in flight,
    /// and returns once all of it has finished. Safe to call twice.
    func stop() async {
        await closeListenerAndConnections()
        let task = acceptTask
        acceptTask = nil
        await task?.value
    }

    /// Starts listening again on the same port, after ``stop()`` or a
    /// ``FakeReply/die``; the queue, handler and records are kept.
    func restart() async throws {
        await stop()
        accept(on: try await Self.bind(port: port))
    }

    // MARK: - Serving

    private static func bind(port: Int) async throws -> Listener {
        try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    private func accept(on listener: Listener) {
        self.listener = listener
        acceptTask = Task.detached { [self] in
            await withTaskGroup(of: Void.self) { group in
                do {
                    try await listener.executeThenClose { inbound in
                        for try await connection in inbound {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                } catch {
                    // The listener was closed under us by stop() or a .die reply.
                }
                // Whatever is still being answered (e.g. a delayed reply)
                // dies with the server.
                group.cancelAll()
            }
        }
    }

    private func closeListenerAndConnections() async {
        if let listener {
            self.listener = nil
            try? await listener.channel.close().get()
        }
        for connection in connections.values {
            connection.close(promise: nil)
        }
        connections.removeAll()
        acceptTask?.cancel()
    }

    private func register(_ channel: any Channel) {
        connections[ObjectIdentifier(channel)] = channel
    }

    private func unregister(_ channel: any Channel) {
        connections[ObjectIdentifier(channel)] = nil
    }

    /// What to do with one complete request.
    private enum Action {
        case respond(status: Int, body: String, contentType: String)
        case hangUp
        case die
    }

    /// Answers requests on one connection until it closes.
    private nonisolated func serve(_ connection: Connection) async {
        let channel = connection.channel
        await register(channel)
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body = ByteBuffer()
                for try await part in inbound {
                    switch part {
                    case .head(let received):
                        head = received
                        body.clear()
                    case .body(var chunk):
                        body.writeBuffer(&chunk)
                    case .end:
                        guard let request = head else { continue }
                        var step = await self.route(request, body: Data(body.readableBytesView))
                        while case .wait(let delay, let next, let chatRequest) = step {
                            try await Task.sleep(for: delay)
                            step = await self.resolve(next, for: chatRequest)
                        }
                        guard case .act(let action) = step else { continue }
                        switch action {
                        case .hangUp:
                            return
                        case .die:
                            await self.closeListenerAndConnections()
                            return
                        case .respond(let status, let text, let contentType):
                            try await Self.write(
                                status: status, body: text, contentType: contentType, to: outbound,
                                version: request.version, keepAlive: request.isKeepAlive)
                            if !request.isKeepAlive { return }
                        }
                    }
                }
            }
        } catch {
            // The client went away, or the server was stopped: nothing to answer.
        }
        await unregister(channel)
    }

    private static func write(
        status: Int, body: String, contentType: String,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>,
        version: HTTPVersion, keepAlive: Bool
    ) async throws {
        let payload = ByteBuffer(string: body)
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        headers.add(name: "Content-Length", value: "\(payload.readableBytes)")
        headers.add(name: "Connection", value: keepAlive ? "keep-alive" : "close")
        let head = HTTPResponseHead(version: version, status: HTTPResponseStatus(statusCode: status), headers: headers)
        try await outbound.write(contentsOf: [.head(head), .body(.byteBuffer(payload)), .end(nil)])
    }

    /// A step of answering: wait and then carry out a reply, or act now.
    private enum Step {
        case wait(Duration, then: FakeReply, request: FakeChatRequest)
        case act(Action)
    }

    /// Routes one request and records it.
    private func route(_ head: HTTPRequestHead, body: Data) async -> Step {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        requestLines.append("\(head.method.rawValue) \(path)")
        switch (head.method, path) {
        case (.POST, "/v1/chat/completions"):
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request: FakeChatRequest
            do {
                request = try FakeChatRequest(body: body, headers: headers)
            } catch {
                return .act(
                    .respond(
                        status: 400,
                        body: FakeJSON.errorBody(status: 400, message: "\(error)", type: "invalid_request_error"),
                        contentType: "application/json"))
            }
            requests.append(request)
            let reply: FakeReply
            if !queue.isEmpty {
                reply = queue.removeFirst()
            } else if let handler {
                reply = await handler(request)
            } else {
                reply = .error(
                    status: 500, message: "FakeModelServer has no scripted reply left for request \(requests.count)")
            }
            return resolve(reply, for: request)
        case (.GET, "/health"):
            switch health {
            case .ready:
                return .act(.respond(status: 200, body: #"{"status":"ok"}"#, contentType: "application/json"))
            case .loading:
                return .act(
                    .respond(
                        status: 503,
                        body: FakeJSON.errorBody(status: 503, message: "Loading model", type: "unavailable_error"),
                        contentType: "application/json"))
            case .noHealthRoute, .noRoutes:
                return .act(Self.notFound)
            }
        case (.GET, "/v1/models"):
            if health == .noRoutes { return .act(Self.notFound) }
            return .act(.respond(status: 200, body: FakeJSON.modelsBody(), contentType: "application/json"))
        default:
            return .act(Self.notFound)
        }
    }

    private static let notFound = Action.respond(
        status: 404, body: FakeJSON.errorBody(status: 404, message: "File Not Found", type: "not_found_error"),
        contentType: "application/json")

    private func resolve(_ reply: FakeReply, for request: FakeChatRequest) -> Step {
        switch reply {
        case .completion(let completion):
            return .act(
                .respond(
                    status: 200, body: FakeJSON.completionBody(completion, for: request),
                    contentType: "application/json"))
        case .raw(let status, let body, let contentType):
            return .act(.respond(status: status, body: body, contentType: contentType))
        case .delayed(let delay, let next):
            return .wait(delay, then: next, request: request)
        case .hangUp:
            return .act(.hangUp)
        case .die:
            return .act(.die)
        }
    }
}
