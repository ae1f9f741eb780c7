# The refine harness: the first Python code to run inside the sandbox.
#
# It reads the job (candidate, tests, entry point) from fd 4, compiles the
# candidate on its own so that a syntax error is located in the candidate,
# runs it, then runs every test on its own so that one failure does not hide
# the rest, and reports what happened as records on fd 3. Nothing the code
# prints on stdout or stderr can reach fd 3's reader as a record.
#
# Records: b"<tag> <field count>\n" then, per field, b"<length>:<utf-8>" or b"~"
# for none, then b"\n". The supervisor decides the verdict from these records
# and from how the process ended; a run without a final "done" record is
# never a pass.
#
# Only modules that are already loaded at start-up, or builtin, are imported:
# every millisecond here is paid by every run.

import sys
import os
import _ast

# Keep our own references: the code under test may replace builtins.
_write = os.write
_exit = os._exit
_repr = repr
_str = str
_len = len
_isinstance = isinstance
_type = type
_BaseException = BaseException
_FAMILIES = (
    (SyntaxError, "syntax_error"),
    (NameError, "name_error"),
    (ImportError, "import_error"),
    (TypeError, "type_error"),
    (AssertionError, "assertion_error"),
    (MemoryError, "memory_error"),
    (SystemExit, "exit"),
    (RecursionError, "recursion_error"),
)

_CHANNEL = 3
_JOB = 4
_channel_open = True
_TEXT_LIMIT = 1000


def _encode(value):
    if value is None:
        return b"~"
    data = _str(value).encode("utf-8", "replace")
    return _str(_len(data)).encode() + b":" + data


_pending = []


def _emit(tag, *fields, hold=False):
    """Writes a record; `hold` keeps it for the next write, so records made
    before any code runs cost one system call together."""
    global _channel_open
    record = tag.encode() + b" " + _str(_len(fields)).encode() + b"\n"
    record += b"".join(_encode(field) for field in fields) + b"\n"
    _pending.append(record)
    if hold or not _channel_open:
        return
    data = b"".join(_pending)
    _pending.clear()
    try:
        while data:
            written = _write(_CHANNEL, data)
            data = data[written:]
    except OSError:
        # The code closed or replaced our channel; the run cannot pass.
        _channel_open = False


def _clip(text, limit=_TEXT_LIMIT):
    if text is None:
        return None
    if _len(text) > limit:
        return text[:limit] + "…[%d more characters]" % (_len(text) - limit)
    return text


def _safe_repr(value):
    try:
        return _clip(_repr(value))
    except _BaseException as error:  # a __repr__ that raises
        return "<repr failed: %s>" % _type(error).__name__


def _safe_message(error):
    try:
        return _clip(_str(error))
    except _BaseException:
        return "<str failed>"


def _lines(source):
    # Python's own line numbering: \r\n, \r and \n end a line, nothing else.
    return source.replace("\r\n", "\n").replace("\r", "\n").split("\n")


def _family(error):
    for kind, name in _FAMILIES:
        if _isinstance(error, kind):
            return name
    return "other"


def _errno_of(error):
    number = getattr(error, "errno", None)
    return number if _isinstance(number, int) else None


def _read_job():
    chunks = []
    while True:
        chunk = os.read(_JOB, 1 << 20)
        if not chunk:
            break
        chunks.append(chunk)
    os.close(_JOB)
    data = b"".join(chunks)
    fields = []
    position = 0
    while position < _len(data):
        colon = data.index(b":", position)
        length = int(data[position:colon])
        start = colon + 1
        fields.append(data[start:start + length].decode("utf-8"))
        position = start + length + 1  # skip the ','
    return fields


class _Run:
    """The state of one run: sources, test units and their outcomes."""

    def __init__(self, candidate, tests, entry_point, as_main):
        self.candidate = candidate
        self.tests = tests
        self.entry_point = entry_point or None
        self.as_main = as_main
        self.candidate_lines = _lines(candidate)
        self.test_lines = _lines(tests) if tests else []
        self.units = []  # (first line, last line) per test unit
        self.passed = 0
        self.failed = False
        self.comparison = None  # (actual, expected) of the last failed comparison

    # -- locating -----------------------------------------------------------

    def source_line(self, origin, line):
        lines = self.candidate_lines if origin == "candidate" else self.test_lines
        if line is None or line < 1 or line > _len(lines):
            return None
        return _clip(lines[line - 1].strip())

    def locate(self, error):
        # The innermost frame in the candidate's or the tests' code decides.
        origin = None
        line = None
        traceback = error.__traceback__
        while traceback is not None:
            name = traceback.tb_frame.f_code.co_filename
            if name == "<candidate>":
                origin, line = "candidate", traceback.tb_lineno
            elif name == "<tests>":
                origin, line = "test", traceback.tb_lineno
            traceback = traceback.tb_next
        return origin, line

    # -- reporting ----------------------------------------------------------

    def fail(self, phase, unit, error, origin=None, line=None):
        if origin is None:
            origin, line = self.locate(error)
        expected = actual = None
        if _isinstance(error, AssertionError) and self.comparison is not None:
            actual, expected = self.comparison
        self.comparison = None
        _emit(
            "fail",
            phase,
            unit,
            _family(error),
            _type(error).__qualname__,
            _safe_message(error),
            origin,
            line,
            self.source_line(origin, line),
            expected,
            actual,
            _errno_of(error),
        )
        self.failed = True

    def fail_compile(self, error, origin):
        line = getattr(error, "lineno", None)
        if not _isinstance(line, int):
            line = None
        message = getattr(error, "msg", None) if _isinstance(error, SyntaxError) else None
        _emit(
            "fail",
            "compile",
            0,
            _family(error) if _isinstance(error, SyntaxError) else "syntax_error",
            _type(error).__qualname__,
            _clip(message if message is not None else _safe_message(error)),
            origin,
            line,
            self.source_line(origin, line),
            None,
            None,
        )
        self.failed = True

    # -- hooks called by the instrumented tests -----------------------------

    def unit(self, number):
        return _Guard(self, number)

    def setup(self):
        return _Guard(self, None)

    def compare(self, left, right, operator, actual_is_left):
        if operator == "==":
            result = left == right
        elif operator == "!=":
            result = left != right
        elif operator == "<":
            result = left < right
        elif operator == "<=":
            result = left <= right
        elif operator == ">":
            result = left > right
        elif operator == ">=":
            result = left >= right
        elif operator == "is":
            result = left is right
        elif operator == "is not":
            result = left is not right
        elif operator == "in":
            result = left in right
        else:
            result = left not in right
        if not result:
            if actual_is_left:
                self.comparison = (_safe_repr(left), _safe_repr(right))
            else:
                self.comparison = (_safe_repr(right), _safe_repr(left))
        return result

    def truth(self, value, wanted):
        result = bool(value) == wanted
        if not result:
            self.comparison = (_safe_repr(value), "a truthy value" if wanted else "a falsy value")
        return result


class _Guard:
    """Runs one test (or one setup statement): reports its start and end,
    and swallows its exception so the next statement runs."""

    __slots__ = ("run", "number")

    def __init__(self, run, number):
        self.run = run
        self.number = number

    def __enter__(self):
        # "begin" marks where the run is, so that a test that hangs or
        # crashes is named; the previous test ended well unless it failed.
        # Setup statements are test 0.
        self.run.comparison = None
        _emit("begin", 0 if self.number is None else self.number)
        return self

    def __exit__(self, kind, error, traceback):
        if error is not None and error.__traceback__ is None:
            error.__traceback__ = traceback
        if self.number is None:
            if error is not None:
                self.run.fail("setup", 0, error)
        elif error is None:
            self.run.passed += 1
        else:
            self.run.fail("test", self.number, error)
        return True


# -- instrumenting the tests ------------------------------------------------

_OPERATORS = {
    _ast.Eq: "==", _ast.NotEq: "!=", _ast.Lt: "<", _ast.LtE: "<=",
    _ast.Gt: ">", _ast.GtE: ">=", _ast.Is: "is", _ast.IsNot: "is not",
    _ast.In: "in", _ast.NotIn: "not in",
}
_SCOPES = (_ast.FunctionDef, _ast.AsyncFunctionDef, _ast.ClassDef, _ast.Lambda)
# Nodes whose children may hold statements (match_case exists from 3.10).
_CONTAINERS = (_ast.stmt, _ast.excepthandler) + ((_ast.match_case,) if hasattr(_ast, "match_case") else ())
_HOOK = "__refine_hooks__"


def _children(node):
    for field in node._fields:
        value = getattr(node, field, None)
        if _isinstance(value, list):
            for item in value:
                if _isinstance(item, _ast.AST):
                    yield item
        elif _isinstance(value, _ast.AST):
            yield value


def _asserts(node):
    """The assert statements of a statement, outside nested scopes (a
    function or class defined at the top is a definition, not a test)."""
    if _isinstance(node, _SCOPES):
        return []
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if _isinstance(current, _ast.Assert):
            found.append(current)
        elif current is not node and _isinstance(current, _SCOPES):
            continue
        elif current is node or _isinstance(current, _CONTAINERS):
            stack.extend(_children(current))
    return found


def _mentions(node, kind, names=None):
    """Whether an expression holds a node of `kind` (a call of one of
    `names`, when given)."""
    stack = [node]
    while stack:
        current = stack.pop()
        if _isinstance(current, kind) and (
            names is None or (_isinstance(current.func, _ast.Name) and current.func.id in names)
        ):
            return True
        stack.extend(_children(current))
    return False


def _at(node, reference):
    # A new node takes the position of what it stands for, so tracebacks
    # keep pointing at the test's own line.
    node.lineno = reference.lineno
    node.col_offset = reference.col_offset
    node.end_lineno = getattr(reference, "end_lineno", reference.lineno)
    node.end_col_offset = getattr(reference, "end_col_offset", reference.col_offset)
    return node


def _hook(name, arguments, reference):
    """`__refine_hooks__.name(*arguments)`, positioned at `reference`."""
    target = _at(_ast.Name(id=_HOOK, ctx=_ast.Load()), reference)
    function = _at(_ast.Attribute(value=target, attr=name, ctx=_ast.Load()), reference)
    return _at(_ast.Call(func=function, args=arguments, keywords=[]), reference)


def _constant(value, reference):
    return _at(_ast.Constant(value=value), reference)


def _rewrite(assertion, candidate_names):
    # `assert actual == expected` keeps its meaning and evaluation order; the
    # comparison goes through a hook that remembers both sides when it fails.
    test = assertion.test
    if _isinstance(test, _ast.Compare) and _len(test.ops) == 1 and _type(test.ops[0]) in _OPERATORS:
        left, right = test.left, test.comparators[0]
        left_calls = _mentions(left, _ast.Call, candidate_names)
        right_calls = _mentions(right, _ast.Call, candidate_names)
        if left_calls == right_calls:
            left_calls = _mentions(left, _ast.Call)
            right_calls = _mentions(right, _ast.Call)
        actual_is_left = not (right_calls and not left_calls)
        arguments = [left, right, _constant(_OPERATORS[_type(test.ops[0])], test), _constant(actual_is_left, test)]
        assertion.test = _hook("compare", arguments, test)
    elif _isinstance(test, _ast.UnaryOp) and _isinstance(test.op, _ast.Not):
        assertion.test = _hook("truth", [test.operand, _constant(False, test)], test)
    elif not _isinstance(test, (_ast.BoolOp, _ast.Compare)):
        assertion.test = _hook("truth", [test, _constant(True, test)], test)


def _wrap(statement, unit):
    """`with __refine_hooks__.unit(n): <statement>` (or `.setup()`): the
    context manager sees the statement's exception, records it and lets the
    next statement run."""
    arguments = [] if unit is None else [_constant(unit, statement)]
    manager = _hook("setup" if unit is None else "unit", arguments, statement)
    item = _ast.withitem(context_expr=manager, optional_vars=None)
    return [_at(_ast.With(items=[item], body=[statement]), statement)]


def _walk(node):
    stack = list(_children(node))
    while stack:
        current = stack.pop()
        yield current
        stack.extend(_children(current))


def _instrument(run, body, candidate_names):
    statements = []
    for statement in body:
        asserts = _asserts(statement)
        if asserts:
            run.units.append((statement.lineno, getattr(statement, "end_lineno", statement.lineno)))
            for assertion in asserts:
                _rewrite(assertion, candidate_names)
            statements.extend(_wrap(statement, _len(run.units)))
        else:
            statements.extend(_wrap(statement, None))
    return statements


class _JobError(Exception):
    pass


def _prepare_tests(run):
    """Parses and instruments the tests; returns their code object."""
    tree = compile(run.tests, "<tests>", "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
    names = {"candidate"}
    if run.entry_point is not None:
        names.add(run.entry_point)
        checks = [
            node for node in tree.body
            if _isinstance(node, (_ast.FunctionDef, _ast.AsyncFunctionDef)) and node.name == "check"
        ]
        if not checks:
            raise _JobError("an entry point was given but the tests define no check(candidate) function")
        check = checks[-1]
        check.body = _instrument(run, check.body, names)
        # The call of the entry point is test code: it becomes the tests'
        # last line, so that an error in it is located there.
        driver_line = _len(run.test_lines) + 1
        run.test_lines.append("check(%s)" % run.entry_point)
        driver = compile("check(%s)\n" % run.entry_point, "<tests>", "exec", _ast.PyCF_ONLY_AST, dont_inherit=True)
        for node in [driver.body[0]] + list(_walk(driver.body[0])):
            if "lineno" in node._attributes:
                node.lineno = node.end_lineno = driver_line
        tree.body.append(driver.body[0])
    else:
        defines_check = any(_isinstance(node, _ast.FunctionDef) and node.name == "check" for node in tree.body)
        tree.body = _instrument(run, tree.body, names)
        if not run.units and defines_check:
            raise _JobError("the tests define check(candidate) but no entry point was given")
    return compile(tree, "<tests>", "exec", dont_inherit=True)


def _finish(run):
    _flush_streams()
    peak = None
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"VmHWM:"):
                    peak = int(line.split()[1])
    except _BaseException:
        pass
    _emit("done", run.passed, _len(run.units), peak)
    _exit(0)


def _run_script(run, candidate):
    """Runs the candidate as `python3 program.py` would: the exception and
    exit status a common evaluation harness sees, plus our records."""
    try:
        code = compile(candidate, "<candidate>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:
        run.fail_compile(error, "candidate")
        _print_exception(error)
        _flush_streams()
        _exit(1)
    module = _type(sys)("__main__")
    module.__builtins__ = __builtins__
    sys.modules["__main__"] = module
    _emit("phase", "candidate")
    try:
        exec(code, module.__dict__)
    except SystemExit as error:
        run.fail("candidate", 0, error)
        status = error.code
        if status is None:
            status = 0
        elif not _isinstance(status, int):
            try:
                sys.stderr.write(_str(status) + "\n")
            except _BaseException:
                pass
            status = 1
        _flush_streams()
        _exit(status & 0xFF)
    except _BaseException as error:
        run.fail("candidate", 0, error)
        _print_exception(error)
        _flush_streams()
        _exit(1)
    _finish(run)


def _print_exception(error):
    # Python's own report of an uncaught exception, on stderr.
    try:
        sys.__excepthook__(_type(error), error, error.__traceback__)
    except _BaseException:
        pass


def _flush_streams():
    # What Python does at exit: atexit handlers, then flushing the streams.
    try:
        import atexit

        atexit._run_exitfuncs()
    except _BaseException:
        pass
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except _BaseException:
            pass


def _main():
    fields = _read_job()
    candidate, tests, entry_point, as_main = fields[0], fields[1], fields[2], fields[3] == "1"
    script = _len(fields) > 4 and fields[4] == "script"
    try:
        os.set_inheritable(_CHANNEL, False)
    except OSError:
        pass
    run = _Run(candidate, tests, entry_point, as_main)
    _emit("ready", "%d.%d.%d" % sys.version_info[:3], hold=True)
    if script:
        _emit("units", "", hold=True)
        _run_script(run, candidate)

    # The tests first, so that the verdict counts them even when the
    # candidate does not compile; the candidate's own error is reported first.
    tests_code = None
    tests_error = None
    if tests:
        try:
            tests_code = _prepare_tests(run)
        except _JobError as error:
            _emit("job_error", _str(error))
            _exit(0)
        except (SyntaxError, ValueError) as error:
            tests_error = error
    # Where each test is in the tests' code; the supervisor has the code.
    _emit("units", ",".join("%d-%d" % unit for unit in run.units), hold=True)

    try:
        candidate_code = compile(candidate, "<candidate>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError) as error:  # ValueError: NUL bytes in the source
        run.fail_compile(error, "candidate")
        _finish(run)
    if tests_error is not None:
        run.fail_compile(tests_error, "test")
        _finish(run)

    # A real module, registered, so that pickling the candidate's functions
    # (multiprocessing) finds them.
    module = _type(sys)("__main__" if as_main else "__candidate__")
    module.__builtins__ = __builtins__
    sys.modules[module.__name__] = module
    namespace = module.__dict__
    _emit("phase", "candidate")
    try:
        exec(candidate_code, namespace)
    except _BaseException as error:
        run.fail("candidate", 0, error)
        _finish(run)

    if tests_code is not None:
        namespace[_HOOK] = run
        _emit("phase", "tests")
        try:
            exec(tests_code, namespace)
        except _BaseException as error:
            run.fail("setup", 0, error)
    _finish(run)


try:
    _main()
except _BaseException as _error:  # our own failure, never the code's
    try:
        _emit("internal_error", "%s: %s" % (_type(_error).__name__, _safe_message(_error)))
    finally:
        _exit(70)
