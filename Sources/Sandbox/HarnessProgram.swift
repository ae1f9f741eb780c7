import Foundation

/// The harness as the interpreter will run it. Compiling its source costs
/// several milliseconds per run, more than the whole sandbox; so the
/// policy's own interpreter compiles it once into bytecode, which init
/// writes into each sandbox's root as a `.pyc` that Python runs directly.
/// Without a mount namespace there is no private root to put it in, and
/// the source is passed with `-c` instead.
struct HarnessProgram: Sendable {
    /// Where the bytecode lives inside the sandbox.
    static let pathInSandbox = "/.refine-harness.pyc"

    static var source: String { String(decoding: PackageResources.harness_py, as: UTF8.self) }

    /// A complete .pyc (header and marshalled code) for `interpreter`.
    let bytecode: [UInt8]?

    /// Compiles the harness with `interpreter`. Blocking: call it from a
    /// thread of its own.
    static func compile(with interpreter: String) throws -> HarnessProgram {
        let compiler = """
            import sys, marshal, importlib.util
            code = compile(sys.stdin.buffer.read().decode("utf-8"), "<refine-harness>", "exec", dont_inherit=True)
            sys.stdout.buffer.write(importlib.util.MAGIC_NUMBER + bytes(12) + marshal.dumps(code))
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: interpreter)
        process.arguments = ["-s", "-E", "-B", "-c", compiler]
        let input = Foundation.Pipe()
        let output = Foundation.Pipe()
        let errors = Foundation.Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw SandboxError(.interpreterFailed, "cannot run \(interpreter) to compile the harness: \(error)")
        }
        input.fileHandleForWriting.write(Data(source.utf8))
        try? input.fileHandleForWriting.close()
        let bytecode = output.fileHandleForReading.readDataToEndOfFile()
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0, bytecode.count > 16 else {
            let detail = String(decoding: message, as: UTF8.self).split(separator: "\n").last.map(String.init) ?? ""
            throw SandboxError(
                .interpreterFailed,
                "\(interpreter) could not compile the harness (status \(process.terminationStatus)): \(detail)")
        }
        return HarnessProgram(bytecode: [UInt8](bytecode))
    }

    /// The interpreter's arguments. -s: no user site directory; -B: no
    /// bytecode writes (the root is read-only); -u: unbuffered, so output
    /// printed before a kill is kept.
    func arguments(interpreter: String) -> [String] {
        bytecode == nil
            ? [interpreter, "-s", "-B", "-u", "-c", Self.source]
            : [interpreter, "-s", "-B", "-u", Self.pathInSandbox]
    }
}
