import Sandbox

/// The report's colours: one fixed colour per outcome label, the same in
/// every chart and table, and one per run; so a reader learns them once.
enum ReportPalette {
    /// The colour of an outcome label (`passed`, `assertion_error`, …,
    /// `no_code`); labels the sandbox may add later get a stable fallback.
    static func outcome(_ label: String) -> String {
        switch label {
        case Outcome.passed.rawValue: return "#2e7d32"
        case Outcome.assertionError.rawValue: return "#ef6c00"
        case Outcome.runtimeError.rawValue: return "#c62828"
        case Outcome.typeError.rawValue: return "#ad1457"
        case Outcome.nameError.rawValue: return "#6a1b9a"
        case Outcome.importError.rawValue: return "#4527a0"
        case Outcome.syntaxError.rawValue: return "#1565c0"
        case Outcome.timeout.rawValue: return "#8d6e63"
        case Outcome.memoryLimit.rawValue: return "#4e342e"
        case Outcome.outputLimit.rawValue: return "#00838f"
        case Outcome.forbiddenSyscall.rawValue: return "#37474f"
        case Outcome.crashed.rawValue: return "#827717"
        case Outcome.exitedEarly.rawValue: return "#f9a825"
        case Outcome.sandboxError.rawValue: return "#9e9e9e"
        case AttemptLabel.noCode: return "#78909c"
        default:
            let fallback = ["#5d4037", "#0277bd", "#558b2f", "#6d4c41", "#00695c"]
            let sum = label.unicodeScalars.reduce(0) { $0 &+ Int($1.value) }
            return fallback[sum % fallback.count]
        }
    }

    /// The order labels are listed in: passing first, then by how far the
    /// code got (as the loop's ranking has it), so charts read top-down
    /// from best to worst.
    static func labelOrder(_ label: String) -> Int {
        if let outcome = Outcome(rawValue: label) {
            return 10 - AttemptRanking.stage(of: outcome)
        }
        return label == AttemptLabel.noCode ? 10 : 11
    }

    /// The colour of the n-th run in the report.
    static func run(_ index: Int) -> String {
        let colors = ["#3b6ea8", "#e07b28", "#4f9a4a", "#c2413b", "#6a9fb5", "#b58e2b", "#8c5f9e", "#d4719a", "#7f6a55", "#5c6370"]
        return colors[index % colors.count]
    }

    /// First attempt against the returned attempt.
    static let firstAttempt = "#a9b8cc"
    static let returned = "#24548f"
    /// Refinements that fixed failing code, and that broke passing code.
    static let fixed = "#2e7d32"
    static let broken = "#c62828"
    /// Tokens: prompt lighter, completion darker; generator blue, refiner orange.
    static let generatorPrompt = "#9cc3e6"
    static let generatorCompletion = "#2f6fb0"
    static let refinerPrompt = "#f6c08f"
    static let refinerCompletion = "#d9641e"
    /// Seconds: the models, the sandbox, everything else.
    static let modelTime = "#5b4ea3"
    static let sandboxTime = "#3aa18f"
    static let otherTime = "#c4c9d2"

    /// Ink for axes, gridlines and text in charts.
    static let ink = "#1d2433"
    static let muted = "#5b6475"
    static let grid = "#e3e7ee"
}
