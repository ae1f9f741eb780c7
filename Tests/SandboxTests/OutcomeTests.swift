import Foundation
import Testing

@testable import Sandbox

/// One test per outcome: each checks the label and the evidence behind it.
@Suite("Outcomes")
struct OutcomeTests {
    @Test func passed() async throws {
        let verdict = try await Fixtures.run(
            "def add(a, b):\n    return a + b\n", tests: "assert add(1, 2) == 3\nassert add(0, 0) == 0\n")
        #expect(verdict.outcome == .passed)
        #expect(verdict.tests == TestCount(passed: 2, total: 2))
        #expect(verdict.exception == nil)
        #expect(verdict.exitCode == 0)
    }

    @Test func syntaxErrorIsLocatedInTheCandidate() async throws {
        let verdict = try await Fixtures.run("x = 1\ndef f(:\n    pass\n", tests: "assert True\n")
        #expect(verdict.outcome == .syntaxError)
        #expect(verdict.exception?.type == "SyntaxError")
        #expect(verdict.exception?.origin == .candidate)
        #expect(verdict.exception?.line == 2)
        #expect(verdict.exception?.sourceLine == "def f(:")
        #expect(verdict.tests == TestCount(passed: 0, total: 1))
    }

    @Test func indentationErrorKeepsTheSyntaxFamily() async throws {
        let verdict = try await Fixtures.run("def f():\nreturn 1\n")
        #expect(verdict.outcome == .syntaxError)
        #expect(verdict.exception?.type == "IndentationError")
    }

    @Test func nameError() async throws {
        let verdict = try await Fixtures.run(
            "def f(x):\n    return x + undefined_name\n", tests: "assert f(1) == 2\n")
        #expect(verdict.outcome == .nameError)
        #expect(verdict.exception?.type == "NameError")
        #expect(verdict.exception?.origin == .candidate)
        #expect(verdict.exception?.line == 2)
        #expect(verdict.failingTest?.source == "assert f(1) == 2")
    }

    @Test func unboundLocalErrorKeepsTheNameFamily() async throws {
        let verdict = try await Fixtures.run(
            "def f():\n    y = x + 1\n    x = 2\n    return y\n", tests: "assert f() == 3\n")
        #expect(verdict.outcome == .nameError)
        #expect(verdict.exception?.type == "UnboundLocalError")
    }

    @Test func importErrorWithSubclass() async throws {
        let verdict = try await Fixtures.run("import module_that_does_not_exist\n")
        #expect(verdict.outcome == .importError)
        #expect(verdict.exception?.type == "ModuleNotFoundError")
        #expect(verdict.exception?.line == 1)
    }

    @Test func typeError() async throws {
        let verdict = try await Fixtures.run("def f(x):\n    return x + 'a'\n", tests: "assert f(1) == 2\n")
        #expect(verdict.outcome == .typeError)
        #expect(verdict.exception?.type == "TypeError")
        #expect(verdict.exception?.origin == .candidate)
    }

    @Test func assertionErrorWithExpectedAndActual() async throws {
        let verdict = try await Fixtures.run(
            "def f(x):\n    return x * 2\n", tests: "assert f(2) == 4\nassert f(3) == 7\nassert f(0) == 0\n")
        #expect(verdict.outcome == .assertionError)
        #expect(verdict.tests == TestCount(passed: 2, total: 3))
        #expect(verdict.exception?.origin == .test)
        #expect(verdict.exception?.line == 2)
        #expect(verdict.exception?.expected == "7")
        #expect(verdict.exception?.actual == "6")
        #expect(verdict.failingTest == TestLocation(index: 2, line: 2, source: "assert f(3) == 7"))
    }

    @Test func runtimeErrorNamesTheExactType() async throws {
        let verdict = try await Fixtures.run("def f(x):\n    return 1 / x\n", tests: "assert f(0) == 0\n")
        #expect(verdict.outcome == .runtimeError)
        #expect(verdict.exception?.type == "ZeroDivisionError")
        #expect(verdict.exception?.message == "division by zero")
        #expect(verdict.exception?.line == 2)
    }

    @Test func wallClockTimeout() async throws {
        let verdict = try await Fixtures.run("import time\ntime.sleep(30)\n", policy: Fixtures.quick(wallSeconds: 1))
        #expect(verdict.outcome == .timeout)
        #expect(verdict.limit == .wallTime)
        #expect(verdict.durationMilliseconds >= 1000 && verdict.durationMilliseconds < 5000)
    }

    // A generous wall clock: on a starved machine CPU time accrues slowly,
    // and the CPU limit must still be the one that ends the run.
    @Test func cpuTimeLimit() async throws {
        let verdict = try await Fixtures.run(
            "while True:\n    pass\n", policy: Fixtures.quick(wallSeconds: 120, cpuSeconds: 1))
        #expect(verdict.outcome == .timeout)
        #expect(verdict.limit == .cpuTime)
        #expect(verdict.signal == "SIGXCPU")
    }

    @Test func cpuLimitStillHoldsWhenSIGXCPUIsIgnored() async throws {
        let verdict = try await Fixtures.run(
            "import signal\nsignal.signal(signal.SIGXCPU, signal.SIG_IGN)\nwhile True:\n    pass\n",
            policy: Fixtures.quick(wallSeconds: 120, cpuSeconds: 1))
        #expect(verdict.outcome == .timeout)
        #expect(verdict.limit == .cpuTime)
        #expect(verdict.signal == "SIGKILL")
    }

    @Test func memoryLimit() async throws {
        let verdict = try await Fixtures.run("data = bytearray(4 * 1024 ** 3)\n")
        #expect(verdict.outcome == .memoryLimit)
        #expect(verdict.limit == .addressSpace)
        #expect(verdict.exception?.type == "MemoryError")
    }

    @Test func outputLimit() async throws {
        var policy = SandboxPolicy.strict
        policy.limits.outputLimitBytes = 1 << 20
        policy.limits.outputKeptBytes = 1000
        let verdict = try await Fixtures.run("import sys\nwhile True:\n    sys.stdout.write('x' * 4096)\n", policy: policy)
        #expect(verdict.outcome == .outputLimit)
        #expect(verdict.limit == .stdout)
        #expect(verdict.stdout.truncated)
        #expect(verdict.stdout.text.utf8.count == 1000)
        #expect(verdict.stdout.totalBytes > 1 << 20)
    }

    @Test func forbiddenSyscallIsNamed() async throws {
        let verdict = try await Fixtures.run(
            "import ctypes\nlibc = ctypes.CDLL(None, use_errno=True)\nlibc.ptrace(0, 0, 0, 0)\nprint('survived')\n")
        #expect(verdict.outcome == .forbiddenSyscall)
        #expect(verdict.syscall == "ptrace")
        #expect(verdict.limit == .syscallFilter)
        #expect(!verdict.stdout.text.contains("survived"))
    }

    @Test func crashedBySignal() async throws {
        let verdict = try await Fixtures.run("import ctypes\nctypes.string_at(0)\n")
        #expect(verdict.outcome == .crashed)
        #expect(verdict.signal == "SIGSEGV")
    }

    @Test func abortKeepsItsSignal() async throws {
        // The program is not pid 1 of its namespace, so its own signals act
        // as they would anywhere else.
        let verdict = try await Fixtures.run("import os\nos.abort()\n")
        #expect(verdict.outcome == .crashed)
        #expect(verdict.signal == "SIGABRT")
    }

    @Test func exitedEarlyThroughOsExit() async throws {
        let verdict = try await Fixtures.run(
            "import os\ndef f():\n    return 1\nos._exit(0)\n", tests: "assert f() == 1\n")
        #expect(verdict.outcome == .exitedEarly)
        #expect(verdict.exitCode == 0)
        #expect(verdict.tests == TestCount(passed: 0, total: 1))
    }

    @Test func sysExitBeforeTheTestsIsNotAPass() async throws {
        let verdict = try await Fixtures.run(
            "import sys\ndef f():\n    return 2\nsys.exit(0)\n", tests: "assert f() == 1\n")
        #expect(verdict.outcome == .exitedEarly)
        #expect(verdict.exception?.type == "SystemExit")
        #expect(verdict.exception?.line == 4)
        #expect(verdict.tests.passed == 0)
    }

    @Test func sandboxErrorIsThrownNotBlamedOnTheCode() async throws {
        var policy = SandboxPolicy.strict
        policy.interpreter = "/nonexistent/python3"
        await #expect(throws: SandboxError.self) {
            _ = try await Sandbox(policy: policy)
        }
        let error = SandboxError(.interpreterFailed, "x")
        #expect(Verdict(sandboxError: error).outcome == .sandboxError)
        #expect(!Outcome.sandboxError.isAboutTheCode)
    }
}

/// The README's example, kept true.
@Test func theReadmeExampleSaysWhatTheReadmeSays() async throws {
    let sandbox = try await Sandbox()
    let verdict = try await sandbox.run(SandboxJob(
        candidate: "def add(a, b):\n    return a - b\n",
        tests: "assert add(1, 2) == 3\nassert add(0, 0) == 0\n"))
    #expect(verdict.outcome.rawValue == "assertion_error")
    #expect(verdict.tests.passed == 1)
    #expect(verdict.exception?.expected == "3")
    #expect(verdict.exception?.actual == "-1")
}
