/// How ``FakeModelServer`` answers its readiness probes.
enum FakeHealth: Sendable {
    /// `GET /health` → 200 `{"status":"ok"}`.
    case ready
    /// `GET /health` → 503 with llama-server's "Loading model" error.
    case loading
    /// `GET /health` → 404, `/v1/models` → 200: a server without llama's probe.
    case noHealthRoute
    /// Both probes → 404: something that is not a model server.
    case noRoutes
}
