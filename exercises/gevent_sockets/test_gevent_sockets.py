"""Public tests for gevent_sockets: run them with `make check`.

Your module monkey-patches the whole process that imports it, so these tests never import it here
(the other exercises' tests run in this same process). Each test starts a fresh Python process that
loads your file, calls your function and writes down what it returned or raised. The server your
code talks to runs in this process, with the standard library's ordinary sockets and threads (never
patched): it answers each line with the same line in upper case, and it counts how many requests
were waiting for their reply at the same moment. When a test wants the connections to overlap, the
server holds every reply back until all of them have sent their request (or, if they never do, for
a few seconds, then answers anyway so that the test ends and tells you what it saw).
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
    ``order=[...]``: once gathered, answer the messages in this order, each only after the client
    has closed the previous connection, so that the replies *finish* in this order.
    """

    def __init__(self, *, gather=1, order=None):
        self.gather = gather
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
                try:
                    conn.sendall(self.reply(message))
                    if sequenced:
                        self._wait_for_hang_up(conn)
                finally:
                    if sequenced:
                        with self._cond:
                            self._turn += 1
                            self._cond.notify_all()
        except OSError:
            pass

    def reply(self, message):
        """The bytes sent back for ``message``: the line in upper case, and its newline."""
        return message.upper().encode("utf-8") + b"\n"

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


def run_student(student_path, tmp_path, calls, *, inspect=False):
    """Run ``calls`` ([function name, [address, argument]]) in a fresh process; return its report."""
    out = tmp_path / "outcome.json"
    spec = json.dumps({"calls": calls, "inspect": inspect})
    command = [sys.executable, "-I", "-B", "-c", DRIVER, str(student_path), MODULE, str(out), spec]
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


@pytest.mark.points(1)
def test_fetch_one_returns_the_reply_line(student_path, tmp_path):
    with LineServer() as server:
        report = run_student(student_path, tmp_path, [["fetch_one", [server.address, "hello, server"]]])
    reply = returned(report["calls"][0], "fetch_one(address, 'hello, server')")
    assert reply == "HELLO, SERVER", (
        f"fetch_one(address, 'hello, server') returned {reply!r}; the server replied with the line "
        f"'HELLO, SERVER': return it without its newline, as a str"
    )


@pytest.mark.points(1)
def test_fetch_all_returns_replies_in_the_order_of_messages(student_path, tmp_path):
    messages = ["one", "two", "three", "four"]
    expected = [m.upper() for m in messages]
    # The server answers the last message first: replies finish in the reverse order.
    with LineServer(gather=len(messages), order=messages[::-1]) as server:
        report = run_student(student_path, tmp_path, [["fetch_all", [server.address, messages]]])
    replies = returned(report["calls"][0], f"fetch_all(address, {messages})")
    if replies == expected[::-1]:
        pytest.fail(
            f"fetch_all returned {replies}: the replies in the order they arrived (the server "
            f"answered the last message first). Return them in the order of `messages`.",
            pytrace=False,
        )
    assert replies == expected, (
        f"fetch_all(address, {messages}) returned {replies!r}; expected {expected}: one reply per "
        f"message, in the order of `messages`"
    )


@pytest.mark.points(2)
def test_fetch_all_keeps_every_connection_open_at_once(student_path, tmp_path):
    messages = ["a", "b", "c", "d", "e"]
    with LineServer(gather=len(messages)) as server:
        report = run_student(student_path, tmp_path, [["fetch_all", [server.address, messages]]])
    replies = returned(report["calls"][0], f"fetch_all(address, {messages})")
    overlap = "the exchanges ran one after another" if server.peak <= 1 else "the others waited their turn"
    assert server.peak == len(messages), (
        f"at most {server.peak} of the {len(messages)} requests waited for their reply at the same "
        f"time: {overlap}. Give each message a greenlet of its own, start them all before waiting "
        f"for any, and make the sockets cooperative with gevent's monkey.patch_all() at the very "
        f"top of the file (a blocking socket stalls every greenlet)"
    )
    assert sorted(replies) == sorted(m.upper() for m in messages), (
        f"fetch_all(address, {messages}) returned {replies!r}: one reply per message expected"
    )
