"""Hidden grader for sentinel_pickling.

Most tests need no process: ``PicklingQueue`` (sentinel_doubles.py) pickles every item on ``put``
and unpickles a copy on ``get``, exactly what a multiprocessing.Queue does to an item between two
processes, and a ``get`` past the last message fails at once instead of hanging. The grader never
looks at the student's wire format: it only calls ``produce`` and ``consume``, so a marker object,
an Enum member or tagged messages are all graded alike.

The real-process tests run with the graded start method (``spawn``): a producer child started by
the grader, joined before its messages are read (so a read that finds nothing is a verdict, not a
race), and the student's ``run_pipeline`` in a thread with a generous limit. Each first checks the
same items through a PicklingQueue, so that a marker that is never recognised fails in
milliseconds with the right message rather than after the limit.
"""

import multiprocessing

import pytest
from sentinel_doubles import (
    CHILD_LIMIT,
    PIPELINE_LIMIT,
    GuardedQueue,
    PicklingQueue,
    is_plain_data,
    mismatch,
    raised,
    round_trip,
    run_with_limit,
    short,
    stop_children,
    unreaped_children,
)

pytestmark = pytest.mark.exercise("sentinel_pickling")

FALSY = [0, False, "", [], {}, (), 0.0, b"", set(), None, 0j, frozenset(), bytearray()]
LOOKALIKES = [
    "END", "end", "STOP", "DONE", "EOF", "__END__", "<END>", "None", "sentinel", "SENTINEL",
    "__sentinel__", "", -1, ..., ("end",), ("END",), ["END"], {"end": True},
]


# -- one process: a queue that pickles --------------------------------------------------------------


@pytest.mark.points(1)
def test_falsy_items_are_data(student):
    items = ["start", *FALSY, "after the falsy ones"]
    round_trip(student, items, "after produce(queue, items), consume")
    round_trip(student, FALSY[::-1], "after produce(queue, items), consume")


@pytest.mark.points(1)
def test_marker_lookalike_values_are_data(student):
    items = ["start", *LOOKALIKES, "after the look-alikes"]
    round_trip(student, items, "after produce(queue, items), consume")


@pytest.mark.points(1)
def test_a_copy_of_the_end_message_is_data(student):
    end_message_is_data(student)


def end_message_is_data(student) -> None:
    """Send, as data, a copy of what produce puts to end a stream, if that is a plain value."""
    # What produce puts for an empty stream is (at least) its end marker. If that is a plain value
    # (a string, a number, a tuple of them...), the items may contain an equal value, and it must
    # travel as data. A marker data cannot contain (an object of the student's own class, an Enum
    # member, a class) is not plain data: there is then nothing to send back, and nothing to lose.
    q = PicklingQueue()
    student.produce(q, [])
    end_messages = [m for m in q.left() if is_plain_data(m)]
    items = ["before", *end_messages, "between", *end_messages, "after"]
    q = PicklingQueue()
    student.produce(q, items)
    got = student.consume(q)
    assert not q.overran
    problem = mismatch("consume", items, got)
    n = len(got) if isinstance(got, list) else 0
    if problem is not None and n < len(items) and got == items[:n] and items[n] in end_messages:
        problem = (
            f"your end marker travels as {short(items[n])}, a plain value that the items can "
            f"contain too: sent as data among other items, it made consume stop after {n} of "
            f"{len(items)} items. Use a marker no item can equal (an object that pickles by name), "
            f"or mark the items and the end differently"
        )
    assert problem is None, problem


# -- a real producer process --------------------------------------------------------------------------


@pytest.mark.points(2)
@pytest.mark.timeout(90)
def test_end_marker_from_a_spawned_producer_is_recognised(student):
    items = ["first", None, 0, ("end",), None, "last"]
    round_trip(student, items, "through a queue that pickles, consume")  # fails fast if never found
    ctx = multiprocessing.get_context()  # the graded start method: spawn
    queue = ctx.Queue()
    producer = ctx.Process(target=student.produce, args=(queue, items), name="producer")
    try:
        producer.start()
        producer.join(CHILD_LIMIT)
        assert not producer.is_alive(), (
            f"produce(queue, {len(items)} items) was still running in the child process after "
            f"{CHILD_LIMIT:.0f} s: it should put every item and the end marker, and return"
        )
        assert producer.exitcode == 0, (
            f"produce failed in the child process (exit code {producer.exitcode}): with spawn, "
            f"the child imports your module afresh and calls produce there, so the module must "
            f"import cleanly on its own and produce must work with a real multiprocessing.Queue"
        )
        # The child has exited, so everything it put is already in the queue's pipe.
        guarded = GuardedQueue(queue)
        got = student.consume(guarded)
        assert not guarded.overran
        problem = mismatch("consume, reading what a producer process had put,", items, got)
        assert problem is None, problem
    finally:
        stop_children()
        queue.close()
        queue.join_thread()


@pytest.mark.points(1)
@pytest.mark.timeout(90)
def test_run_pipeline_joins_its_producer(student):
    items = [None, "a", None, 0, "b", None]
    round_trip(student, items, "through a queue that pickles, consume")  # fast failures first
    end_message_is_data(student)
    for _ in (1, 2):
        multiprocessing.active_children()  # reap what earlier tests left, so it is not blamed here
    before = unreaped_children()
    outcome = run_with_limit(student.run_pipeline, items)
    try:
        assert outcome.finished, (
            f"run_pipeline({len(items)} small items) had not returned after {PIPELINE_LIMIT:.0f} "
            f"s: does consume recognise the end marker that arrives from the producer process "
            f"(a spawned child imports your module afresh), and does the producer finish?"
        )
        assert outcome.error is None, raised(outcome)
        unjoined = unreaped_children() - before
        assert not unjoined, (
            f"run_pipeline returned without waiting for the process(es) it started "
            f"({', '.join(p.name for p in unjoined)}): join() the producer before returning; a "
            f"process you start is yours to wait for"
        )
        running = multiprocessing.active_children()
        assert not running, (
            f"run_pipeline returned while process(es) it started were still running "
            f"({', '.join(p.name for p in running)}): join the producer before returning"
        )
        problem = mismatch("run_pipeline", items, outcome.result)
        assert problem is None, problem
    finally:
        stop_children()


@pytest.mark.points(1)
@pytest.mark.timeout(90)
def test_run_pipeline_reads_before_joining(student):
    # About 1.2 MB: more than any OS pipe buffer holds, so the producer can only exit once the
    # consumer has read (most of) it. A run_pipeline that joins before consuming waits forever.
    items = [None if i % 5 == 0 else f"{i:06d}" * 2000 for i in range(120)]
    round_trip(student, items, "through a queue that pickles, consume")  # fast failures first
    end_message_is_data(student)
    outcome = run_with_limit(student.run_pipeline, items)
    try:
        assert outcome.finished, (
            f"run_pipeline({len(items)} items of 12 kB) had not returned after "
            f"{PIPELINE_LIMIT:.0f} s. A producer process cannot exit until everything it put has "
            f"been written into the queue's pipe, which holds only some kilobytes: if you join() "
            f"it before consuming, each waits for the other. Consume first, then join"
        )
        assert outcome.error is None, raised(outcome)
        problem = mismatch("run_pipeline", items, outcome.result)
        assert problem is None, problem
    finally:
        stop_children()
