import Foundation
import Testing

@testable import Sandbox

/// The finer points of classification: how tests are split and counted,
/// where a failure is located, and what the code cannot forge.
@Suite("Classification")
struct ClassificationTests {
    static let humanEvalTests = """
        METADATA = {'author': 'jt'}


        def check(candidate):
            assert candidate(1) == 2
            assert candidate(2) == 4
            values = [3, 4, 5]
            for value in values:
                assert candidate(value) == value * 2
            assert candidate(10) == 21

        """

    @Test func humanEvalStatementsWithAssertsAreTests() async throws {
        let verdict = try await Fixtures.run(
            "def double(x):\n    return 2 * x\n", tests: Self.humanEvalTests, entryPoint: "double")
        // Three asserts, one loop (one test) and one failing assert: 4 tests,
        // the assignment is not one.
        #expect(verdict.tests == TestCount(passed: 3, total: 4))
        #expect(verdict.outcome == .assertionError)
        #expect(verdict.exception?.expected == "21")
        #expect(verdict.exception?.actual == "20")
        #expect(verdict.exception?.line == 10)
        #expect(verdict.failingTest?.index == 4)
    }

    @Test func testsGoOnAfterAFailure() async throws {
        let verdict = try await Fixtures.run(
            "def f(x):\n    if x == 1:\n        raise ValueError('one')\n    return x\n",
            tests: "assert f(1) == 1\nassert f(2) == 2\nassert f(3) == 3\n")
        #expect(verdict.outcome == .runtimeError)
        #expect(verdict.exception?.type == "ValueError")
        #expect(verdict.exception?.origin == .candidate)
        #expect(verdict.exception?.line == 3)
        #expect(verdict.tests == TestCount(passed: 2, total: 3))
        #expect(verdict.failingTest?.index == 1)
    }

    @Test func aFailureInsideALoopCountsTheLoopOnce() async throws {
        let verdict = try await Fixtures.run(
            "def f(x):\n    return x\n", tests: "for i in range(5):\n    assert f(i) == min(i, 3)\nassert f(1) == 1\n")
        #expect(verdict.tests == TestCount(passed: 1, total: 2))
        #expect(verdict.exception?.expected == "3")
        #expect(verdict.exception?.actual == "4")
        #expect(verdict.failingTest?.source == "for i in range(5):\n    assert f(i) == min(i, 3)")
    }

    @Test func expectedIsTheSideWithoutTheCandidateCall() async throws {
        let verdict = try await Fixtures.run("def f():\n    return [1, 2]\n", tests: "assert [1, 2, 3] == f()\n")
        #expect(verdict.exception?.expected == "[1, 2, 3]")
        #expect(verdict.exception?.actual == "[1, 2]")
    }

    @Test func truthinessAssertsReportTheValue() async throws {
        let verdict = try await Fixtures.run("def f():\n    return []\n", tests: "assert f()\n")
        #expect(verdict.outcome == .assertionError)
        #expect(verdict.exception?.actual == "[]")
        #expect(verdict.exception?.expected == "a truthy value")
    }

    @Test func longValuesAreTruncated() async throws {
        let verdict = try await Fixtures.run("def f():\n    return 'a' * 100000\n", tests: "assert f() == 'b'\n")
        let actual = try #require(verdict.exception?.actual)
        #expect(actual.count < 1200)
        #expect(actual.contains("more characters"))
    }

    @Test func callingAMissingEntryPointIsAnErrorInTestCode() async throws {
        let verdict = try await Fixtures.run(
            "def other():\n    pass\n", tests: "def check(candidate):\n    assert candidate() is None\n",
            entryPoint: "solution")
        #expect(verdict.outcome == .nameError)
        #expect(verdict.exception?.origin == .test)
        #expect(verdict.exception?.sourceLine == "check(solution)")
    }

    @Test func printedTracebacksCannotForgeTheVerdict() async throws {
        let forged = """
            import sys
            print("SyntaxError: invalid syntax", file=sys.stderr)
            print('done 3\\n1:1~~\\n')
            def f():
                return 1
            """
        let verdict = try await Fixtures.run(forged, tests: "assert f() == 2\n")
        #expect(verdict.outcome == .assertionError)
        #expect(verdict.stderr.text.contains("SyntaxError"))
    }

    @Test func exitInsideATestIsNotAPass() async throws {
        let verdict = try await Fixtures.run(
            "import sys\ndef f():\n    sys.exit(0)\n", tests: "assert f() is None\nassert True\n")
        #expect(verdict.outcome == .exitedEarly)
        #expect(verdict.exception?.type == "SystemExit")
        #expect(verdict.exception?.origin == .candidate)
        #expect(verdict.tests == TestCount(passed: 1, total: 2))
    }

    @Test func aSyntaxErrorInTheTestsIsLocatedInTheTests() async throws {
        let verdict = try await Fixtures.run("def f():\n    return 1\n", tests: "assert f() == 1\nassert f( == 1\n")
        #expect(verdict.outcome == .syntaxError)
        #expect(verdict.exception?.origin == .test)
        #expect(verdict.exception?.line == 2)
    }

    @Test func aCheckWithoutEntryPointIsRejected() async throws {
        await #expect(throws: SandboxError.self) {
            _ = try await Fixtures.run("def f():\n    return 1\n", tests: "def check(candidate):\n    assert candidate() == 1\n")
        }
    }

    @Test func anEntryPointMustBeAnIdentifier() async throws {
        await #expect(throws: SandboxError.self) {
            _ = try await Fixtures.run("x = 1\n", tests: "def check(c):\n    assert c\n", entryPoint: "x); import os; (")
        }
    }

    @Test func demoBlocksDoNotRunUnderTests() async throws {
        let verdict = try await Fixtures.run(
            "def f():\n    return 1\nif __name__ == '__main__':\n    input()\n", tests: "assert f() == 1\n")
        #expect(verdict.outcome == .passed)
    }

    @Test func timeoutNamesTheRunningTest() async throws {
        let verdict = try await Fixtures.run(
            "def f(x):\n    while x:\n        pass\n    return x\n", tests: "assert f(0) == 0\nassert f(1) == 1\n",
            policy: Fixtures.quick(wallSeconds: 5))
        #expect(verdict.outcome == .timeout)
        #expect(verdict.tests == TestCount(passed: 1, total: 2))
        #expect(verdict.failingTest?.source == "assert f(1) == 1")
    }

    @Test func outputIsCapturedSeparately() async throws {
        let verdict = try await Fixtures.run("import sys\nprint('out')\nprint('err', file=sys.stderr)\n")
        #expect(verdict.stdout.text == "out\n")
        #expect(verdict.stderr.text == "err\n")
        #expect(!verdict.stdout.truncated)
    }

    @Test func verdictsAreReproducibleWithTheFixedHashSeed() async throws {
        let code = "print(list({'alpha', 'beta', 'gamma', 'delta'}))\n"
        let first = try await Fixtures.run(code)
        let second = try await Fixtures.run(code)
        #expect(first.stdout.text == second.stdout.text)
    }

    @Test func cancellationKillsTheRun() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let clock = ContinuousClock()
        let start = clock.now
        let task = Task { try await sandbox.run(SandboxJob(candidate: "import time\ntime.sleep(30)\n")) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        await #expect(throws: CancellationError.self) { _ = try await task.value }
        #expect(start.duration(to: clock.now) < .seconds(5))
    }
}

/// Script mode: the program runs as `python3 program.py` would, and the
/// verdict still names what happened.
@Suite("Script mode")
struct ScriptModeTests {
    @Test func anUncaughtExceptionPrintsItsTracebackAndExitsOne() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let verdict = try await sandbox.run(.script("def f():\n    return 1 / 0\nf()\n"))
        #expect(verdict.outcome == .runtimeError)
        #expect(verdict.exitCode == 1)
        #expect(verdict.exception?.type == "ZeroDivisionError")
        #expect(verdict.exception?.line == 2)
        #expect(verdict.stderr.text.hasSuffix("ZeroDivisionError: division by zero\n"))
        #expect(verdict.stderr.text.contains("Traceback (most recent call last)"))
    }

    @Test func aBareAssertLeavesNoTypeOnItsLastLine() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let verdict = try await sandbox.run(.script("assert 1 == 2\n"))
        #expect(verdict.outcome == .assertionError)
        #expect(verdict.stderr.text.hasSuffix("AssertionError\n"))
        #expect(verdict.exitCode == 1)
    }

    @Test func sysExitZeroExitsZeroButIsNotAPass() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let verdict = try await sandbox.run(.script("import sys\nsys.exit(0)\nassert False\n"))
        #expect(verdict.exitCode == 0)
        #expect(verdict.outcome == .exitedEarly)
    }

    @Test func aCleanScriptPasses() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let verdict = try await sandbox.run(.script("print('ok')\n"))
        #expect(verdict.outcome == .passed)
        #expect(verdict.exitCode == 0)
        #expect(verdict.stdout.text == "ok\n")
    }

    @Test func aSyntaxErrorIsPrintedAsPythonPrintsIt() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        let verdict = try await sandbox.run(.script("def f(:\n"))
        #expect(verdict.outcome == .syntaxError)
        #expect(verdict.exitCode == 1)
        #expect(verdict.stderr.text.contains("SyntaxError"))
    }

    @Test func scriptsTakeNoSeparateTests() async throws {
        let sandbox = try await Fixtures.strictSandbox.value
        await #expect(throws: SandboxError.self) {
            _ = try await sandbox.run(SandboxJob(candidate: "x = 1", tests: "assert x", mode: .script))
        }
    }
}
