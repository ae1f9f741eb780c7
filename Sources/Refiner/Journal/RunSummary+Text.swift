import Foundation

extension RunSummary {
    /// The summary as plain text tables, for the terminal.
    public var text: String {
        var lines: [String] = []
        let percent = { (value: Double) in String(format: "%.1f%%", value * 100) }
        let spread = { (value: Spread) in
            self.runs > 1 ? "\(percent(value.mean)) ± \(String(format: "%.1f", value.standardDeviation * 100))" : percent(value.mean)
        }
        lines.append(
            "\(suite.rawValue): \(finishedTasks)/\(tasksPerRun * runs) tasks, generator \(generator), refiner \(refiner), "
                + "feedback \(feedback.rawValue), early stop \(earlyStopping.rawValue), up to \(iterations) refinements"
                + (runs > 1 ? ", \(runs) runs" : ""))
        lines.append("pass@1  first attempt \(spread(initialPassAt1))   after refinement \(spread(finalPassAt1))")
        if let gap = gapInStandardDeviations {
            lines.append(String(format: "gap     %+.2f standard deviations (%@)", gap, gapMethod))
        }
        lines.append(
            "by iteration  " + passAt1ByIteration.enumerated().map { "\($0.offset): \(percent($0.element.mean))" }.joined(separator: "  "))
        if !fixRates.isEmpty {
            lines.append("")
            lines.append("fix rate by first error")
            for rate in fixRates {
                lines.append(
                    "  " + rate.label.padding(toLength: 18, withPad: " ", startingAt: 0)
                        + String(format: "%4d fixed of %4d  %6.1f%%", rate.fixed, rate.failures, rate.rate * 100))
            }
        }
        if !transitions.isEmpty {
            lines.append("")
            lines.append("first attempt → returned attempt")
            for transition in transitions where transition.from != transition.to || transition.from != "passed" {
                lines.append(
                    "  " + "\(transition.from) → \(transition.to)".padding(toLength: 40, withPad: " ", startingAt: 0)
                        + String(format: "%5d", transition.count))
            }
        }
        if !iterationEffects.isEmpty {
            lines.append("")
            lines.append("net effect of each refinement (on the candidate it refined)")
            for effect in iterationEffects {
                lines.append(
                    String(
                        format: "  iteration %d: %4d attempts, %3d fixed, %3d broken, net %+d", effect.iteration,
                        effect.attempts, effect.fixed, effect.broken, effect.net))
            }
            lines.append("  passing code broken by refinement: \(passingBrokenByRefinement)")
        }
        lines.append("")
        lines.append("replies without code: \(noCodeReplies)   sandbox errors (ours, not the code's): \(sandboxErrors)")
        var tokenLine =
            "tokens  generator \(tokens.generatorPrompt) prompt + \(tokens.generatorCompletion) completion, "
            + "refiner \(tokens.refinerPrompt) prompt + \(tokens.refinerCompletion) completion"
        if let rate = tokens.generatorTokensPerSecond {
            tokenLine += String(format: "; %.1f tok/s generator", rate)
        }
        if let rate = tokens.refinerTokensPerSecond {
            tokenLine += String(format: ", %.1f tok/s refiner", rate)
        }
        lines.append(tokenLine)
        lines.append(
            String(
                format: "time    %.0f s wall, %.1f s per task, %.0f s in the models, %.1f s in the sandbox, loop overhead %.1f%%",
                time.wallSeconds, time.secondsPerTask, time.modelSeconds, time.sandboxSeconds, time.loopOverheadFraction * 100))
        return lines.joined(separator: "\n")
    }
}
