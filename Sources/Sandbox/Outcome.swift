/// What happened to a piece of code, as one of a closed set of labels.
///
/// The raw values are the verdict's public JSON spelling; other tools parse
/// them, so they never change. Exception subclasses keep their family
/// (`IndentationError` is a ``syntaxError``, `ModuleNotFoundError` an
/// ``importError``); the verdict's exception type names the exact class.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
    /// Every test ran and passed, and the harness reported so itself.
    case passed
    /// The candidate (or the tests) did not compile.
    case syntaxError = "syntax_error"
    /// `NameError` and its subclasses (`UnboundLocalError`).
    case nameError = "name_error"
    /// `ImportError` and its subclasses (`ModuleNotFoundError`).
    case importError = "import_error"
    /// `TypeError`: most often a call with the wrong arguments, or an
    /// operation on a value of the wrong type.
    case typeError = "type_error"
    /// A failing `assert`, with the compared values when it was a comparison.
    case assertionError = "assertion_error"
    /// Any other exception; the verdict's exception type names it.
    case runtimeError = "runtime_error"
    /// The wall-clock or CPU time limit ended the run.
    case timeout
    /// The address-space limit was reached (`MemoryError`).
    case memoryLimit = "memory_limit"
    /// The code printed more than the output limit allows.
    case outputLimit = "output_limit"
    /// The system call filter stopped the code.
    case forbiddenSyscall = "forbidden_syscall"
    /// A signal that is not one of our limits ended the program.
    case crashed
    /// The program ended before the harness could report (`os._exit`,
    /// `sys.exit` at the top of the candidate, a closed verdict channel).
    case exitedEarly = "exited_early"
    /// Our own machinery failed; never a statement about the code.
    case sandboxError = "sandbox_error"

    /// Whether the label is about the code rather than about us.
    public var isAboutTheCode: Bool { self != .sandboxError }
}
