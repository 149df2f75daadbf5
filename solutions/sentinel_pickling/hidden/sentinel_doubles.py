"""Doubles and helpers of the sentinel_pickling grader (not a test module: nothing here is collected).

``PicklingQueue`` stands in for a ``multiprocessing.Queue`` inside one process: ``put`` pickles
the item with the very pickler multiprocessing uses and ``get`` unpickles a copy, which is all that
happens to an item crossing a real queue between processes. It holds only what was put before
``consume`` runs, so a ``get`` on an empty one means the consumer went past the end marker: the
test fails at once with a teaching message instead of waiting forever.

``GuardedQueue`` wraps a real queue whose producer process has already exited (so everything it
put is in the pipe): the same verdict, after a bounded wait. ``run_with_limit`` runs the student's
``run_pipeline`` in a thread and gives up after a generous limit, so a pipeline that waits forever
fails with a message instead of hanging the suite.
"""

from __future__ import annotations

import collections
import multiprocessing
import multiprocessing.process
import queue as queue_module
import threading
from multiprocessing.reduction import ForkingPickler
from typing import Any

import pytest

# Real-process waits. They only matter for a wrong solution (a correct one never waits on them);
# generous, so that a correct one under heavy load is never cut short.
PIPELINE_LIMIT = 20.0  # run_pipeline must have returned by then
CHILD_LIMIT = 30.0  # a producer child must have exited by then
READ_LIMIT = 5.0  # a get on a queue whose producer has exited: the data is already in the pipe

EMPTY_CALLED = (
    "consume called queue.{name}(): with the producer in another process, an empty queue only "
    "means that nothing has arrived *yet* (the multiprocessing docs call empty() and qsize() "
    "unreliable). Stop when you receive the end marker, never because the queue looks empty"
)

OVERRUN = (
    "consume asked the queue for another message after the last one produce had put: it did not "
    "recognise the end marker. A multiprocessing.Queue pickles every item, and the consumer "
    "receives an unpickled *copy*: a copy of `object()` is a new object, so neither `is END` nor "
    "`== END` is ever true for it. Make a marker that is still recognised after "
    "pickle.loads(pickle.dumps(...))"
)


class PicklingQueue:
    """A one-process multiprocessing.Queue: every item is pickled on put and unpickled on get."""

    def __init__(self) -> None:
        self._messages: collections.deque[bytes] = collections.deque()
        self.closed = False
        self.overran = False
        self.empty_called = False

    # -- what produce and consume may call -------------------------------------------------------

    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        if self.closed:
            raise ValueError("Queue is closed")  # as multiprocessing.Queue does
        self._messages.append(bytes(ForkingPickler.dumps(obj)))

    def put_nowait(self, obj: Any) -> None:
        self.put(obj, False)

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        if not self._messages:
            self.overran = True
            pytest.fail(OVERRUN, pytrace=False)
        return ForkingPickler.loads(self._messages.popleft())

    def get_nowait(self) -> Any:
        return self.get(False)

    def empty(self) -> bool:
        self.empty_called = True
        pytest.fail(EMPTY_CALLED.format(name="empty"), pytrace=False)

    def qsize(self) -> int:
        self.empty_called = True
        pytest.fail(EMPTY_CALLED.format(name="qsize"), pytrace=False)

    def full(self) -> bool:
        return False

    def close(self) -> None:
        self.closed = True

    def join_thread(self) -> None:
        pass

    def cancel_join_thread(self) -> None:
        pass

    # -- what the grader uses ---------------------------------------------------------------------

    def put_raw(self, obj: Any) -> None:
        """Put a message as someone else would (whatever comes after the stream's end)."""
        self._messages.append(bytes(ForkingPickler.dumps(obj)))

    def left(self) -> list[Any]:
        """Unpickled copies of the messages still in the queue, without taking them."""
        return [ForkingPickler.loads(m) for m in self._messages]

    def __len__(self) -> int:
        return len(self._messages)


class GuardedQueue:
    """A real queue whose producer has exited: a get that finds nothing fails instead of hanging."""

    def __init__(self, queue: Any) -> None:
        self._queue = queue
        self.overran = False

    def get(self, block: bool = True, timeout: float | None = None) -> Any:
        try:
            return self._queue.get(timeout=READ_LIMIT)
        except queue_module.Empty:
            self.overran = True
            pytest.fail(CHILD_OVERRUN, pytrace=False)

    def get_nowait(self) -> Any:
        return self.get(False)

    def empty(self) -> bool:
        pytest.fail(EMPTY_CALLED.format(name="empty"), pytrace=False)

    def qsize(self) -> int:
        pytest.fail(EMPTY_CALLED.format(name="qsize"), pytrace=False)

    def put(self, obj: Any, block: bool = True, timeout: float | None = None) -> None:
        self._queue.put(obj, block, timeout)

    def close(self) -> None:
        pass

    def join_thread(self) -> None:
        pass


CHILD_OVERRUN = (
    "the producer ran in a spawned child process and finished; consume then read everything it "
    "had put and asked for more: it did not recognise the end marker that came from the other "
    "process. A spawned child is a fresh interpreter that imports your module again, so a value "
    "made when the module is imported (object(), a random id, a timestamp) is a different value "
    "there. The marker must be the same in every process after unpickling: something pickle "
    "finds by name (a module-level class or an Enum member, for instance)"
)


# -- comparing what arrived ---------------------------------------------------------------------------


def short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 5] + "...)"


def why_stopped_at(item: Any) -> str:
    """Why stopping at this data item is wrong, in the student's terms."""
    if item is None:
        return "None is data here (the items may contain None), so None cannot mark the end"
    if not item:
        return ("it is falsy, but it is still an item: test whether you received the end marker, "
                "not whether the item is truthy")
    if isinstance(item, str):
        return ("a string can be data: a marker made of a string (or any plain value) is bound "
                "to collide with an item one day")
    return "it is data, not the end marker: compare with the marker itself"


def mismatch(what: str, items: list[Any], got: Any) -> str | None:
    """None if ``got`` is ``items`` (every item once, in order), else a message that teaches."""
    if not isinstance(got, list):
        return f"{what} returned {short(got)}: return a list of the items, in order"
    if got == items and all(type(a) is type(b) for a, b in zip(got, items, strict=False)):
        return None
    n = len(got)
    if n < len(items) and got == items[:n]:
        first = f"only the first {n}" if n else "none"
        return (f"{what} returned {first} of the {len(items)} items: it stopped at item #{n}, "
                f"{short(items[n])}, and {why_stopped_at(items[n])}")
    for i, (a, b) in enumerate(zip(got, items, strict=False)):
        if a != b or type(a) is not type(b):
            return (f"{what} returned {short(a)} as item #{i} where {short(b)} was sent: every "
                    f"item must arrive once, in order, unchanged")
    return (f"{what} returned {n} items but {len(items)} were sent: every item must arrive "
            f"exactly once (the end marker is not an item)")


_PLAIN_ATOMS = (type(None), bool, int, float, complex, str, bytes, bytearray, type(Ellipsis))


def is_plain_data(value: Any) -> bool:
    """True for a value built only of Python's own data types: something the items could hold."""
    if type(value) in _PLAIN_ATOMS:
        return True
    if type(value) in (tuple, list, set, frozenset):
        return all(is_plain_data(v) for v in value)
    if type(value) is dict:
        return all(is_plain_data(k) and is_plain_data(v) for k, v in value.items())
    return False


def round_trip(student, items: list[Any], what: str = "consume") -> None:
    """produce then consume through a PicklingQueue; fail with a teaching message if anything is lost."""
    q = PicklingQueue()
    student.produce(q, list(items))
    got = student.consume(q)
    assert not q.empty_called, EMPTY_CALLED.format(name="empty")
    assert not q.overran, OVERRUN
    problem = mismatch(what, items, got)
    assert problem is None, problem


# -- real processes -----------------------------------------------------------------------------------


class Outcome:
    """How a call run in a thread ended: ``finished``, then ``result`` or ``error``."""

    def __init__(self) -> None:
        self.finished = False
        self.result: Any = None
        self.error: BaseException | None = None


def run_with_limit(fn, *args: Any, limit: float = PIPELINE_LIMIT) -> Outcome:
    """Call ``fn(*args)`` in a daemon thread; wait at most ``limit`` seconds for it.

    If it has not returned by then, the processes it started are terminated (the thread, stuck in
    the student's code, is abandoned: a daemon thread cannot be stopped from outside).
    """
    outcome = Outcome()

    def call() -> None:
        try:
            outcome.result = fn(*args)
        except BaseException as exc:
            outcome.error = exc
        outcome.finished = True

    thread = threading.Thread(target=call, name="run_pipeline", daemon=True)
    thread.start()
    thread.join(limit)
    if thread.is_alive():
        stop_children()
    return outcome


def raised(outcome: Outcome) -> str:
    """The message for a run_pipeline that raised."""
    error = outcome.error
    text = f"run_pipeline raised {type(error).__name__}: {error}"
    if "pickle" in str(error).lower():
        text += (". With spawn, the child process receives its target (and arguments) pickled, "
                 "that is by name: the target must be a module-level function, not a lambda or "
                 "a function defined inside another")
    return text


def stop_children() -> None:
    """Terminate and reap every child process still running (the grader's cleanup, never a verdict)."""
    for child in multiprocessing.active_children():
        child.terminate()
    for child in multiprocessing.active_children():
        child.join(CHILD_LIMIT)


def unreaped_children() -> set:
    """Processes started and never joined (nor found finished by is_alive()): not yet waited for.

    ``multiprocessing`` keeps this set in ``multiprocessing.process._children`` on every supported
    Python; reading it (unlike ``active_children()``, which reaps whatever has exited by then) does
    not depend on how quickly the child happens to exit.
    """
    return set(getattr(multiprocessing.process, "_children", ()))
