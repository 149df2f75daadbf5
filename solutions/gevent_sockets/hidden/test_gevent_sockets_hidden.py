"""Hidden tests for gevent_sockets.

Like the public tests, they never import the student's module into this process (it monkey-patches
whatever process imports it): each test runs the student's file in a fresh interpreter through
DRIVER, against a LineServer running here on the standard library's own sockets and threads.

What they add to the public tests: the patch is in place once the module is imported and the
module holds no blocking original taken before it (structural, checked in the child through
gevent.monkey's own records); long and non-ASCII replies are read to their newline; an empty list
opens no connection; a refused connection and a reply cut short raise ConnectionError out of
fetch_all (a greenlet's error is not swallowed).
"""

import contextlib
import json
import socket
import subprocess
import sys
import threading

import pytest

pytestmark = pytest.mark.exercise("gevent_sockets")

MODULE = "gevent_sockets"
HOLD = 3.0  # seconds the server keeps replies back waiting for the other connections: a bound only
RUN_TIMEOUT = 20.0  # seconds one run of your code may take, Python's start-up included
HANG_UP_WAIT = 10.0  # seconds the server waits for a client to close a connection it answered


# -- the server your code talks to ----------------------------------------------------------------


class LineServer:
    """A threaded line server on 127.0.0.1 that replies with the request in upper case.

    ``gather=n``: hold every reply until n requests are waiting at once (at most HOLD seconds).
    ``cut={...}``: to these messages, send half of the reply, then hang up.
    ``order=[...]``: once gathered, answer the messages in this order, each only after the client
    has closed the previous connection, so that the replies *finish* in this order.
    """

    def __init__(self, *, gather=1, order=None, cut=()):
        self.gather = gather
        self.cut = set(cut)
        self.order = list(order) if order is not None else None
        self.connections = 0  # connections accepted
        self.peak = 0  # most requests waiting for their reply at the same moment
        self._waiting = 0
        self._gathered = gather <= 1
        self._gave_up = False  # stop holding: the client did not open every connection
        self._turn = 0
        self._cond = threading.Condition()
        self._stopping = False
        self._threads = []
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address = self._listener.getsockname()[:2]
        self._acceptor = threading.Thread(target=self._accept_loop, name="line-server", daemon=True)

    def __enter__(self):
        self._acceptor.start()
        return self

    def __exit__(self, *exc):
        self._stopping = True
        with contextlib.suppress(OSError):  # wake accept() up with a connection of our own
            socket.create_connection(self.address, timeout=5).close()
        self._acceptor.join(10)
        self._listener.close()
        with self._cond:
            self._gave_up = True
            self._cond.notify_all()
        for thread in self._threads:
            thread.join(RUN_TIMEOUT)

    def _accept_loop(self):
        while True:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            if self._stopping:
                conn.close()
                return
            with self._cond:
                self.connections += 1
            thread = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _serve(self, conn):
        try:
            conn.settimeout(RUN_TIMEOUT)
            with conn, conn.makefile("rb") as reader:
                line = reader.readline()
                if not line.endswith(b"\n"):
                    return  # hung up without a whole request
                message = line[:-1].decode("utf-8", "replace")
                sequenced = self._hold(message)
                if message in self.cut:
                    conn.sendall(message.upper().encode("utf-8")[:2])  # no newline: cut short
                    return
                try:
                    conn.sendall(message.upper().encode("utf-8") + b"\n")
                    if sequenced:
                        self._wait_for_hang_up(conn)
                finally:
                    if sequenced:
                        with self._cond:
                            self._turn += 1
                            self._cond.notify_all()
        except OSError:
            pass

    def _hold(self, message):
        """Count the request, hold it as configured; True if it is answered in its turn."""
        with self._cond:
            self._waiting += 1
            self.peak = max(self.peak, self._waiting)
            if self._waiting >= self.gather:
                self._gathered = True
            self._cond.notify_all()
            if not self._cond.wait_for(lambda: self._gathered or self._gave_up, timeout=HOLD):
                self._gave_up = True
                self._cond.notify_all()
            sequenced = self.order is not None and not self._gave_up and message in self.order
            if sequenced:
                mine = self.order.index(message)
                # A backstop only: a client that keeps a connection open ends the sequence sooner.
                if not self._cond.wait_for(lambda: self._turn == mine or self._gave_up, timeout=RUN_TIMEOUT):
                    self._gave_up = True
                    self._cond.notify_all()
                sequenced = not self._gave_up
            self._waiting -= 1  # counted out before the reply goes: the client cannot be faster
            return sequenced

    def _wait_for_hang_up(self, conn):
        conn.settimeout(HANG_UP_WAIT)
        try:
            while conn.recv(1024):
                pass
        except OSError:  # the client kept the connection open: answer the others anyway
            with self._cond:
                self._gave_up = True
                self._cond.notify_all()


# -- running your code in a process of its own ----------------------------------------------------

# Runs in a fresh interpreter (-I: no environment, no current directory on sys.path; -B: no
# __pycache__ next to your file). It imports nothing that imports socket before your file, and
# writes its findings to a file, not to stdout.
DRIVER = r"""
import json, os, sys
student_path, module_name, out_path, spec = sys.argv[1:5]
spec = json.loads(spec)
report = {"socket_preloaded": "socket" in sys.modules, "calls": []}

def finish():
    with open(out_path, "w", encoding="utf-8") as out:
        json.dump(report, out)
    os._exit(0)  # whatever the student's code left behind (threads, greenlets) must not hold us

def describe(exc):
    import traceback
    lines = [f.lineno for f in traceback.extract_tb(exc.__traceback__)
             if os.path.realpath(f.filename) == os.path.realpath(student_path)]
    return {"type": type(exc).__name__, "message": str(exc)[:300],
            "connection_error": isinstance(exc, ConnectionError), "line": lines[-1] if lines else None}

try:
    import importlib.util
    loader_spec = importlib.util.spec_from_file_location(module_name, student_path)
    module = importlib.util.module_from_spec(loader_spec)
    sys.modules[module_name] = module
    loader_spec.loader.exec_module(module)
except BaseException as exc:
    report["load_error"] = describe(exc)
    finish()
report["missing"] = [n for n in ("fetch_one", "fetch_all") if not callable(getattr(module, n, None))]
if report["missing"]:
    finish()

if spec["inspect"]:
    from gevent import monkey
    report["socket_patched"] = monkey.is_module_patched("socket")
    originals = []
    for mod_name in ("socket", "ssl", "select", "selectors", "time", "threading", "_thread",
                     "queue", "subprocess", "os", "signal"):
        patched = sys.modules.get(mod_name)
        for attr in dir(patched) if patched is not None else ():
            if monkey.is_object_patched(mod_name, attr):
                original = monkey.get_original(mod_name, attr)
                originals += [[name, mod_name, attr] for name, value in vars(module).items()
                              if value is original]
    report["blocking_originals"] = originals

for fn, args in spec["calls"]:
    args = [tuple(args[0]), *args[1:]]  # the address is a tuple
    try:
        value = getattr(module, fn)(*args)
    except BaseException as exc:
        report["calls"].append({"error": describe(exc)})
    else:
        try:
            json.dumps(value)
        except (TypeError, ValueError):
            value = {"unjsonable": repr(value)[:300]}
        report["calls"].append({"value": value, "type": type(value).__name__})
finish()
"""


@pytest.fixture
def student_file(student_path):
    """The path of the student's file, checked but NOT imported (patching would reach this process)."""
    path = student_path
    try:
        compile(path.read_text(encoding="utf-8"), str(path), "exec")
    except SyntaxError as exc:
        pytest.fail(f"{path.name} has a syntax error at line {exc.lineno} ({exc.msg}).", pytrace=False)
    except UnicodeDecodeError:
        pytest.fail(f"{path.name} is not UTF-8 text.", pytrace=False)
    return path


def run_student(student_file, tmp_path, calls, *, inspect=False):
    """Run ``calls`` ([function name, [address, argument]]) in a fresh process; return its report."""
    out = tmp_path / "outcome.json"
    spec = json.dumps({"calls": calls, "inspect": inspect})
    command = [sys.executable, "-I", "-B", "-c", DRIVER, str(student_file), MODULE, str(out), spec]
    try:
        proc = subprocess.run(
            command, cwd=tmp_path, stdin=subprocess.DEVNULL, capture_output=True, timeout=RUN_TIMEOUT
        )
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"your code did not finish within {RUN_TIMEOUT:.0f} s (is something waiting forever: a "
            f"greenlet never joined, a reply read past its newline?)",
            pytrace=False,
        )
    if not out.is_file():
        tail = proc.stderr.decode("utf-8", "replace").strip().splitlines()[-3:]
        pytest.fail(
            f"the Python process running {MODULE}.py ended (exit status {proc.returncode}) before "
            f"reporting anything: {' | '.join(tail) or 'no error output'}",
            pytrace=False,
        )
    report = json.loads(out.read_text(encoding="utf-8"))
    assert not report["socket_preloaded"], "grader error: the socket module was imported before your file"
    if "load_error" in report:
        err = report["load_error"]
        where = f" (line {err['line']})" if err["line"] else ""
        pytest.fail(
            f"importing {MODULE}.py raised {err['type']}: {err['message']}{where}. Code at the top "
            f"level of the file runs on import: keep it to the patch, imports and definitions.",
            pytrace=False,
        )
    if report["missing"]:
        pytest.fail(
            f"{MODULE}.py must define `def fetch_one(address, message)` and "
            f"`def fetch_all(address, messages)`; it has no {', '.join(report['missing'])}.",
            pytrace=False,
        )
    return report


def returned(call, what):
    """The value a call returned, or a failure that says what it raised instead."""
    if "error" in call:
        err = call["error"]
        where = f" at line {err['line']}" if err["line"] else ""
        pytest.fail(f"{what} raised {err['type']}: {err['message']}{where}", pytrace=False)
    return call["value"]


# -- the tests --------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_patches_at_import_and_keeps_no_blocking_originals(student_file, tmp_path):
    report = run_student(student_file, tmp_path, [], inspect=True)
    assert report["socket_patched"], (
        f"once {MODULE}.py has been imported, the socket module is not patched: call gevent's "
        f"`monkey.patch_all()` at import, as the first statement of the file (not inside a function: "
        f"patching changes the whole process and belongs at its start, before anything has used the "
        f"originals); without it a socket blocks the only thread, and the greenlets take turns"
    )
    if report["blocking_originals"]:
        copies = ", ".join(
            f"`{name}` is `{module_name}.{attr}`" for name, module_name, attr in report["blocking_originals"]
        )
        pytest.fail(
            f"in {MODULE}.py, {copies} as it was before gevent patched it: `from ... import ...` above "
            f"the patch copies the standard library's original, and the patch cannot reach your copy "
            f"(some originals block every greenlet, like the socket class). Patch first, then import",
            pytrace=False,
        )


@pytest.mark.points(1)
def test_fetch_one_reads_long_and_non_ascii_replies_to_their_end(student_file, tmp_path):
    long = "a long line " * 500  # 6000 bytes: more than one recv() returns at a time
    accented = "grüße, 世界"
    with LineServer() as server:
        report = run_student(
            student_file,
            tmp_path,
            [["fetch_one", [server.address, long]], ["fetch_one", [server.address, accented]]],
        )
    reply = returned(report["calls"][0], "fetch_one(address, <a line of 6000 characters>)")
    got = f"{len(reply)} characters of it" if isinstance(reply, str) else repr(reply)
    assert reply == long.upper(), (
        f"fetch_one sent a line of {len(long)} characters; the server replied with as many, and "
        f"fetch_one returned {got}: one recv() returns what has arrived so far, not the whole line; "
        f"read until the newline (a loop, or a file from sock.makefile() and its readline())"
    )
    reply = returned(report["calls"][1], f"fetch_one(address, {accented!r})")
    assert reply == accented.upper(), (
        f"fetch_one(address, {accented!r}) returned {reply!r}, expected {accented.upper()!r}: the "
        f"lines travel as UTF-8 (encode what you send, decode what you receive)"
    )


@pytest.mark.points(1)
def test_fetch_all_of_no_messages_opens_no_connection(student_file, tmp_path):
    with LineServer() as server:
        report = run_student(student_file, tmp_path, [["fetch_all", [server.address, []]]])
    replies = returned(report["calls"][0], "fetch_all(address, [])")
    assert replies == [], f"fetch_all(address, []) returned {replies!r}; expected an empty list"
    assert server.connections == 0, (
        f"fetch_all(address, []) opened {server.connections} connection(s): no messages, no connections"
    )


def assert_raised_connection_error(call, what, why):
    if "error" not in call:
        value = call["value"]
        if isinstance(value, list) and None in value:
            advice = (
                "a greenlet that fails keeps its exception, and gevent only prints it unless you ask "
                "for it (`gevent.joinall(..., raise_error=True)`, or `greenlet.get()`)"
            )
        else:
            advice = (
                "a reply is complete only with its newline: when recv() returns b'' (or readline() "
                "returns a line without b'\\n'), the server has hung up, so raise ConnectionError"
            )
        pytest.fail(
            f"{what} returned {value!r} instead of raising ConnectionError: {why}; {advice}",
            pytrace=False,
        )
    err = call["error"]
    assert err["connection_error"], (
        f"{what} raised {err['type']}: {err['message']}; the contract says ConnectionError (or a "
        f"subclass, such as ConnectionRefusedError): {why}"
    )


@pytest.mark.points(1)
def test_a_refused_connection_raises_connection_error(student_file, tmp_path):
    # A socket bound to a port but not listening: connecting to it is refused at once.
    with socket.socket() as closed_door:
        closed_door.bind(("127.0.0.1", 0))
        address = closed_door.getsockname()[:2]
        report = run_student(student_file, tmp_path, [["fetch_all", [address, ["a", "b", "c"]]]])
    assert_raised_connection_error(
        report["calls"][0],
        "fetch_all(<a port nobody listens on>, ['a', 'b', 'c'])",
        "the connections were refused",
    )


@pytest.mark.points(1)
def test_a_reply_cut_short_raises_connection_error(student_file, tmp_path):
    messages = ["first", "boom", "last"]
    with LineServer(cut={"boom"}) as server:
        report = run_student(student_file, tmp_path, [["fetch_all", [server.address, messages]]])
    assert_raised_connection_error(
        report["calls"][0],
        f"fetch_all(address, {messages})",
        "the server hung up in the middle of its reply to 'boom' (it sent 'BO' and no newline)",
    )
