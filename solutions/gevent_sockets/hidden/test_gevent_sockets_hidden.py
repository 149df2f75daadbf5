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

import socket

import pytest

# The server, the driver and the helpers are the public tests' own: pytest put their folder on
# sys.path when it collected them (graded runs always collect the public tests first), and one
# copy of them cannot drift from the other.
from test_gevent_sockets import MODULE, LineServer, returned, run_student

pytestmark = pytest.mark.exercise("gevent_sockets")


class CuttingServer(LineServer):
    """To the messages in ``cut``, sends only the start of the reply, no newline, then hangs up."""

    def __init__(self, *, cut, **options):
        super().__init__(**options)
        self.cut = set(cut)

    def reply(self, message):
        whole = super().reply(message)
        return whole[:2] if message in self.cut else whole


# -- the tests --------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_patches_at_import_and_keeps_no_blocking_originals(student_path, tmp_path):
    report = run_student(student_path, tmp_path, [], inspect=True)
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
def test_fetch_one_reads_long_and_non_ascii_replies_to_their_end(student_path, tmp_path):
    long = "a long line " * 500  # 6000 bytes: more than one recv() returns at a time
    accented = "grüße, 世界"
    with LineServer() as server:
        report = run_student(
            student_path,
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
def test_fetch_all_of_no_messages_opens_no_connection(student_path, tmp_path):
    with LineServer() as server:
        report = run_student(student_path, tmp_path, [["fetch_all", [server.address, []]]])
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
def test_a_refused_connection_raises_connection_error(student_path, tmp_path):
    # A socket bound to a port but not listening: connecting to it is refused at once.
    with socket.socket() as closed_door:
        closed_door.bind(("127.0.0.1", 0))
        address = closed_door.getsockname()[:2]
        report = run_student(student_path, tmp_path, [["fetch_all", [address, ["a", "b", "c"]]]])
    assert_raised_connection_error(
        report["calls"][0],
        "fetch_all(<a port nobody listens on>, ['a', 'b', 'c'])",
        "the connections were refused",
    )


@pytest.mark.points(1)
def test_a_reply_cut_short_raises_connection_error(student_path, tmp_path):
    messages = ["first", "boom", "last"]
    with CuttingServer(cut={"boom"}) as server:
        report = run_student(student_path, tmp_path, [["fetch_all", [server.address, messages]]])
    assert_raised_connection_error(
        report["calls"][0],
        f"fetch_all(address, {messages})",
        "the server hung up in the middle of its reply to 'boom' (it sent 'BO' and no newline)",
    )
