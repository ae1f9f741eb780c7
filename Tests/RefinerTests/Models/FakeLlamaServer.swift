import Foundation
@testable import Refiner

/// A stand-in for llama-server: a Python script that takes the same flags,
/// reads its behaviour from the JSON file passed as the "model" (`-m`), and
/// serves `/health` like llama-server (503 while "loading", then 200).
/// Each start appends `{"pid":…, "port":…}` to a record file.
struct FakeLlamaServer {
    struct Behaviour: Encodable {
        /// Seconds of 503 before 200.
        var loadSeconds = 0.3
        /// Answer 503 forever.
        var neverReady = false
        /// Print this to stderr and exit 1 at start (a model that fails to load).
        var failWith: String?
        /// Fail this many first starts with llama-server's bind error.
        var bindFailures = 0
        /// Ignore SIGTERM, so only SIGKILL stops it.
        var ignoreTerm = false
    }

    let folder: ModelsFixtures.Folder
    let script: URL
    let model: URL
    let record: URL

    init(_ behaviour: Behaviour, label: String = #function) async throws {
        folder = try ModelsFixtures.Folder(label)
        script = folder.file("fake-llama-server")
        model = folder.file("behaviour.json")
        record = folder.file("starts.jsonl")
        var object = try JSONSerialization.jsonObject(with: JSONEncoder().encode(behaviour)) as! [String: Any]
        object["record"] = record.path
        try JSONSerialization.data(withJSONObject: object).write(to: model)
        try await ModelsFixtures.writeExecutable(Self.source, to: script)
    }

    func configuration(
        startupTimeout: Duration = .seconds(20), stopGracePeriod: Duration = .seconds(3)
    ) -> LlamaServerConfiguration {
        LlamaServerConfiguration(
            binary: script, model: model, logFile: folder.file("run/llama-server.log"),
            threads: 1, startupTimeout: startupTimeout, healthTimeout: .seconds(1), stopGracePeriod: stopGracePeriod)
    }

    /// The starts recorded so far: (pid, port) in order.
    var starts: [(pid: Int32, port: Int)] {
        guard let data = FileManager.default.contents(atPath: record.path) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                let pid = object["pid"] as? Int, let port = object["port"] as? Int
            else { return nil }
            return (Int32(pid), port)
        }
    }

    var log: String {
        (try? String(contentsOf: folder.file("run/llama-server.log"), encoding: .utf8)) ?? ""
    }

    static let source = #"""
        #!/usr/bin/env python3
        import json, os, signal, sys, time
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        args = sys.argv[1:]
        def option(name):
            return args[args.index(name) + 1]
        port = int(option("--port"))
        behaviour = json.load(open(option("-m")))
        previous = 0
        if os.path.exists(behaviour["record"]):
            previous = len(open(behaviour["record"]).read().splitlines())
        with open(behaviour["record"], "a") as record:
            record.write(json.dumps({"pid": os.getpid(), "port": port}) + "\n")
        print("fake llama-server starting on port %d with %s" % (port, " ".join(args)), flush=True)
        signal.signal(signal.SIGTERM, signal.SIG_IGN if behaviour["ignoreTerm"] else signal.SIG_DFL)
        if behaviour.get("failWith"):
            print(behaviour["failWith"], file=sys.stderr, flush=True)
            sys.exit(1)
        if previous < behaviour["bindFailures"]:
            print("E srv start: couldn't bind HTTP server socket, hostname: 127.0.0.1, port: %d" % port, file=sys.stderr, flush=True)
            sys.exit(1)
        ready_at = time.time() + behaviour["loadSeconds"]

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                ready = not behaviour["neverReady"] and time.time() >= ready_at
                status = 200 if (self.path != "/health" or ready) else 503
                body = b'{"status":"ok"}' if status == 200 else b'{"error":{"message":"Loading model"}}'
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            def log_message(self, format, *values):
                print("request: " + (format % values), file=sys.stderr, flush=True)

        if behaviour["neverReady"]:
            print("load_model: still loading the fake model", file=sys.stderr, flush=True)
        ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#
}
