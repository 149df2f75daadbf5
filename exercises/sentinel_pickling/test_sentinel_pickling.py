"""Public tests for sentinel_pickling: run them with `make check`.

The first two need no second process. `PicklingQueue` is a test double for a multiprocessing.Queue:
`put` pickles the item and `get` unpickles a copy, which is exactly what happens to an item that
crosses a real queue between processes. It holds only what was put before `consume` runs, so if
consume asks for more than there is, the test fails at once instead of waiting forever.

The last test runs `run_pipeline` for real, with the `spawn` start method (a fresh interpreter that
imports your module), and gives up after a generous limit rather than hang.
"""

import multiprocessing
import pickle
import threading

import pytest

pytestmark = pytest.mark.exercise("sentinel_pickling")

LIMIT = 20  # seconds; a correct run_pipeline needs well under one


class PicklingQueue:
    """A multiprocessing.Queue in one process: items are pickled on put, unpickled on get."""

    def __init__(self):
        self.messages = []  # pickled, oldest first

    def put(self, item, block=True, timeout=None):
        self.messages.append(pickle.dumps(item))

    def get(self, block=True, timeout=None):
        if not self.messages:
            pytest.fail(
                "consume asked the queue for another message after the last one: it did not "
                "recognise the end marker once it had been pickled and unpickled (a copy of "
                "object() is a new object, so `is` and `==` both say it is not your END)",
                pytrace=False,
            )
        return pickle.loads(self.messages.pop(0))

    def empty(self):
        pytest.fail(
            "consume called queue.empty(): with the producer in another process, an empty queue "
            "only means nothing has arrived *yet*. Stop at the end marker, never because the "
            "queue looks empty",
            pytrace=False,
        )

    def close(self):  # a producer may close its end of a real queue: nothing to do here
        pass

    def join_thread(self):
        pass


@pytest.mark.points(1)
def test_items_with_none_cross_a_pickling_queue(student):
    items = ["first", None, 2, None, "last"]
    queue = PicklingQueue()
    student.produce(queue, items)
    got = student.consume(queue)
    assert got == items, (
        f"after produce(queue, {items!r}), consume returned {got!r}: every item, None included, "
        f"must arrive once and in order (None is data here, so it cannot mark the end)"
    )


@pytest.mark.points(1)
def test_consume_stops_at_the_end_marker(student):
    queue = PicklingQueue()
    student.produce(queue, ["a", "b"])
    queue.put("written after the end")  # someone else's message: not part of this stream
    got = student.consume(queue)
    assert got == ["a", "b"], f"consume returned {got!r}; expected ['a', 'b'], the stream's items"
    assert len(queue.messages) == 1, (
        "consume took messages that came after the end marker: stop at the marker, and leave "
        "whatever follows it in the queue"
    )


@pytest.mark.points(1)
@pytest.mark.timeout(90)
def test_run_pipeline_with_a_spawned_producer(student):
    items = ["first", None, 0, "", None, "last"]
    queue = PicklingQueue()  # first without processes: a marker never recognised fails right here
    student.produce(queue, items)
    got = student.consume(queue)
    assert got == items, f"through a PicklingQueue, consume returned {got!r} for {items!r}"
    # Graded runs start processes with `spawn`: the child imports your module afresh.
    outcome = {}

    def call():
        try:
            outcome["result"] = student.run_pipeline(items)
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=call, daemon=True)
    thread.start()
    thread.join(LIMIT)
    try:
        assert not thread.is_alive(), (
            f"run_pipeline had not returned after {LIMIT} s: does consume recognise the end marker "
            f"that arrives from the producer process? (A spawned child imports your module "
            f"afresh: a value made at import, like object() or a random id, differs there.)"
        )
        assert "error" not in outcome, (
            f"run_pipeline raised {outcome.get('error')!r}. With spawn, the child process gets its "
            f"target pickled (by name), so the target must be a module-level function"
        )
        assert outcome["result"] == items, (
            f"run_pipeline({items!r}) returned {outcome['result']!r}: every item must arrive "
            f"once, in order"
        )
    finally:
        for child in multiprocessing.active_children():  # never leave a process behind
            child.terminate()
            child.join()
