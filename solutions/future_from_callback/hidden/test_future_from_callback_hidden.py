"""Hidden grader for future_from_callback.

The student's code talks to ``FakeClient``, a double for a legacy callback API: ``get(key, on_done)``
returns at once and starts a thread of the client's own, which waits at a gate until the grader
releases it and then calls ``on_done(value, None)`` or ``on_done(None, error)``. So the order of
events is decided by the grader, never by the scheduler: "cancelled before the answer arrived"
means the gate was still closed when the task was cancelled.

While a released thread runs, the grader waits for it with ``run_in_executor`` (which holds the
virtual clock); while every thread is held at its gate, nothing can call back, so virtual time may
jump freely (a deadline then fires at once instead of hanging).

What is checked structurally, not by timing:

- thread safety: for the duration of a scenario, the loop's ``call_soon`` (which a future calls to
  wake whoever awaits it, and which is not thread-safe) notes any call from another thread, with the
  student's line, and then does it the thread-safe way so that the scenario still ends cleanly;
- what ``on_done`` raised in the client's thread (a real library would only log it);
- what the loop's exception handler received (``InvalidStateError`` from a callback that set a
  cancelled future);
- idle waiting: while the answer has not come, the chain of objects the task awaits must stay the
  same (a poller creates a new ``sleep`` each time round).
"""

import asyncio
import contextlib
import gc
import linecache
import os
import sys
import threading
import time
import traceback

import pytest

pytestmark = pytest.mark.exercise("future_from_callback")

DEADLINE = 60  # virtual seconds: a lookup that never returns fails at once
THREAD_WAIT = 5.0  # real seconds a client thread (or the grader) waits for something that takes ms
REAL_CAP = 1.0  # real seconds the no-polling window may cost when the clock is held to real time


class LookupFailed(Exception):
    """The error the client reports for a failing key."""


def value_of(key) -> str:
    return f"value of {key}"


# -- the double ------------------------------------------------------------------------------------


class Request:
    """One call of ``client.get``: its key, its callback, and its thread's gates and findings."""

    def __init__(self, key, on_done, number: int) -> None:
        self.key = key
        self.on_done = on_done
        self.number = number
        self.release = threading.Event()
        self.answered = threading.Event()  # on_done has returned (or raised) in the client's thread
        self.raised: BaseException | None = None


class FakeClient:
    """A legacy client: ``get(key, on_done)`` answers later, from a thread of its own.

    ``errors``: key -> exception to report instead of a value. ``barrier``: the released threads
    call back all at the same moment.
    """

    def __init__(self, errors=None, barrier_for: int = 0) -> None:
        self.loop = asyncio.get_running_loop()
        self.errors = dict(errors or {})
        self.barrier = threading.Barrier(barrier_for) if barrier_for > 1 else None
        self.requests: list[Request] = []
        self.changed = asyncio.Event()
        self.closing = False
        self._lock = threading.Lock()

    def get(self, key, on_done) -> None:
        """Start looking ``key`` up; call ``on_done(value, error)`` later from the client's thread."""
        if not callable(on_done):
            raise TypeError(f"on_done must be callable, not {type(on_done).__name__}")
        with self._lock:
            request = Request(key, on_done, len(self.requests))
            self.requests.append(request)
        thread = threading.Thread(target=self._serve, args=(request,), daemon=True,
                                  name=f"client-io-{request.number}")
        thread.start()
        with contextlib.suppress(RuntimeError):
            self.loop.call_soon_threadsafe(self.changed.set)

    def _serve(self, request: Request) -> None:
        if not request.release.wait(THREAD_WAIT * 4) or self.closing:
            request.answered.set()
            return
        if self.barrier is not None:
            with contextlib.suppress(threading.BrokenBarrierError):
                self.barrier.wait(THREAD_WAIT)
        error = self.errors.get(request.key)
        try:
            if error is not None:
                request.on_done(None, error)
            else:
                request.on_done(value_of(request.key), None)
        except BaseException as exc:  # a real library would log it and carry on
            request.raised = exc
        finally:
            request.answered.set()

    def close(self) -> None:
        """End the scenario: threads still at their gate leave without calling back."""
        self.closing = True
        if self.barrier is not None:
            self.barrier.abort()
        for request in self.requests:
            request.release.set()


async def requests_made(client: FakeClient, n: int) -> bool:
    """Wait until ``client.get`` has been called ``n`` times (False if it never is)."""
    try:
        async with asyncio.timeout(DEADLINE):
            while len(client.requests) < n:
                client.changed.clear()
                if len(client.requests) >= n:
                    break
                await client.changed.wait()
    except TimeoutError:
        return False
    return True


def _wait_all(events, timeout: float) -> bool:
    return all(e.wait(timeout) for e in events)


async def answer(*requests: Request) -> bool:
    """Release these requests' threads and wait (the loop free) until each on_done has returned."""
    for request in requests:
        request.release.set()
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, _wait_all, [r.answered for r in requests], THREAD_WAIT)


async def settle() -> None:
    """Let the loop run what the callbacks scheduled."""
    for _ in range(5):
        await asyncio.sleep(0)


# -- what went wrong, in the student's terms -----------------------------------------------------------


def _student_line(frames, student_file: str) -> str:
    """' at future_from_callback.py:12 (`fut.set_result(value)`)' for the last frame of the student's."""
    for filename, lineno in reversed(frames):
        if os.path.realpath(filename) == student_file:
            text = linecache.getline(filename, lineno).strip()
            code = f" (`{text}`)" if text else ""
            return f" at {os.path.basename(filename)}:{lineno}{code}"
    return ""


class Watch:
    """For one scenario: off-thread ``call_soon`` calls, and what the loop's handler received."""

    def __init__(self, student) -> None:
        self.student_file = os.path.realpath(student.__file__)
        self.loop = asyncio.get_running_loop()
        self.ident = threading.get_ident()
        self.off_thread: list[str] = []
        self.contexts: list[dict] = []

    def __enter__(self) -> "Watch":
        original = self.loop.call_soon
        self._previous = self.loop.get_exception_handler()

        def call_soon(callback, *args, context=None):
            if threading.get_ident() != self.ident:
                frames = [(f.filename, f.lineno) for f in traceback.extract_stack(sys._getframe(1))]
                self.off_thread.append(_student_line(frames, self.student_file))
                # Do it the safe way, so that the scenario ends cleanly and the verdict is ours.
                return self.loop.call_soon_threadsafe(callback, *args, context=context)
            return original(callback, *args, context=context)

        self.loop.call_soon = call_soon
        self.loop.set_exception_handler(lambda _loop, context: self.contexts.append(context))
        return self

    def __exit__(self, *exc) -> None:
        with contextlib.suppress(AttributeError):
            del self.loop.call_soon
        self.loop.set_exception_handler(self._previous)
        # What is not ours to explain goes on to the plugin, which turns it into a verdict.
        for context in self.contexts:
            if not self._invalid_state(context) and self._previous is not None:
                self._previous(self.loop, context)

    @staticmethod
    def _invalid_state(context: dict) -> bool:
        return isinstance(context.get("exception"), asyncio.InvalidStateError)

    def problems(self, client: FakeClient) -> list[str]:
        """Everything that went wrong so far, each in words."""
        found: list[str] = []
        if self.off_thread:
            found.append(
                f"your code touched an asyncio object from the client's own thread"
                f"{self.off_thread[0]}: a future's set_result/set_exception (like an Event's set) "
                f"wakes whoever awaits it through the loop, and that is not thread-safe (the loop "
                f"is not even woken up). In on_done, hand the work to the loop with "
                f"`loop.call_soon_threadsafe(...)`"
            )
        for request in client.requests:
            exc = request.raised
            if exc is None:
                continue
            frames = [(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)]
            where = _student_line(frames, self.student_file)
            text = f"on_done raised {type(exc).__name__}: {exc}{where} in the client's thread"
            if isinstance(exc, asyncio.InvalidStateError):
                text += (": the future was already done (the lookup had been cancelled). Set it on "
                         "the loop thread, and only if `fut.done()` is still False")
            elif isinstance(exc, RuntimeError) and "event loop" in str(exc):
                text += (": the client's thread has no event loop. Get the loop with "
                         "`asyncio.get_running_loop()` inside lookup (on the loop's thread), and "
                         "use that loop in on_done")
            found.append(text)
            break
        for context in self.contexts:
            if self._invalid_state(context):
                found.append(
                    "the event loop reported InvalidStateError from a callback you scheduled: it "
                    "set a result (or an exception) on a future that was already cancelled. A "
                    "lookup can be cancelled before the client answers; on the loop thread, check "
                    "`fut.done()` just before setting the future, and do nothing if it is done"
                )
                break
        return found


def check(watch: Watch, client: FakeClient, what: str) -> None:
    problems = watch.problems(client)
    assert not problems, f"{what}, {problems[0]}"


async def stop(client: FakeClient, *tasks: asyncio.Task) -> None:
    """End a scenario: no thread calls back any more, and every task of ours is finished."""
    client.close()
    for task in tasks:
        task.cancel()
    if tasks:
        await asyncio.wait(tasks, timeout=1)
    for task in tasks:
        if task.done() and not task.cancelled():
            task.exception()


def returned(task: asyncio.Task) -> bool:
    """The task finished by returning (not cancelled, no exception)."""
    return task.done() and not task.cancelled() and task.exception() is None


def raised(task: asyncio.Task) -> bool:
    """The task finished by raising an exception."""
    return task.done() and not task.cancelled() and task.exception() is not None


def outcome(task: asyncio.Task) -> str:
    if not task.done():
        return "was still waiting"
    if task.cancelled():
        return "ended cancelled"
    exc = task.exception()
    if exc is not None:
        return f"raised {type(exc).__name__}: {exc}"
    return f"returned {task.result()!r}"


# -- lookup ---------------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_the_future_is_only_touched_on_the_loop_thread(student):
    error = LookupFailed("no such key: 'gone'")
    for key, expected in [("k", value_of("k")), ("gone", error)]:
        client = FakeClient(errors={"gone": error})
        with Watch(student) as watch:
            task = asyncio.create_task(student.lookup(client, key))
            try:
                assert await requests_made(client, 1), (
                    f"lookup(client, {key!r}) {outcome(task)} without calling client.get"
                )
                answered = await answer(client.requests[0])
                await asyncio.wait({task}, timeout=DEADLINE)
                await settle()
                what = ("when the client answered from its own thread with a value"
                        if key == "k" else "when the client reported an error from its own thread")
                check(watch, client, what)
                assert answered, f"{what}, on_done did not return: it must return at once"
                if key == "k":
                    assert returned(task), (
                        f"{what}, lookup {outcome(task)}: it should return {expected!r}"
                    )
                    assert task.result() == expected, (
                        f"{what}, lookup returned {task.result()!r}; expected {expected!r}"
                    )
                else:
                    assert raised(task), (
                        f"{what}, lookup {outcome(task)}: it should raise the client's error"
                    )
                    assert task.exception() is error, (
                        f"{what}, lookup {outcome(task)}: raise the very exception object the "
                        f"client passed to on_done (fut.set_exception(error))"
                    )
            finally:
                await stop(client, task)


def awaiting(task: asyncio.Task) -> list:
    """The chain of objects the task is suspended in: its coroutine, what that awaits, and so on."""
    chain = []
    obj = task.get_coro()
    while obj is not None and len(chain) < 100:
        chain.append(obj)
        obj = getattr(obj, "cr_await", None) or getattr(obj, "gi_yieldfrom", None)
    return chain


def same_chain(a: list, b: list) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b, strict=True))


@pytest.mark.points(1)
async def test_lookup_waits_without_polling(student):
    client = FakeClient()
    with Watch(student) as watch:
        task = asyncio.create_task(student.lookup(client, "k"))
        try:
            assert await requests_made(client, 1), f"lookup {outcome(task)} without calling client.get"
            await asyncio.sleep(0.001)
            before = awaiting(task)
            # The answer is held back. Let (virtual) time pass in growing steps, up to about a
            # minute: a lookup that waits on the future does not run at all meanwhile. (A lookup
            # that awaits asyncio.wrap_future holds the clock to real time, since the plugin then
            # counts a thread's work in flight: the real-time cap only bounds the cost of that
            # case, in which the waiting is correct whatever the cap; a poller does not hold the
            # clock, so its verdict is reached in virtual time, within a dozen loop turns, far
            # below the cap.)
            step = 0.001
            started = time.monotonic()
            while step < 64 and time.monotonic() - started < REAL_CAP and not task.done():
                await asyncio.sleep(step)
                assert same_chain(before, awaiting(task)), (
                    "while the client had not answered yet, lookup kept waking up to check (it "
                    "awaited something new each time, like `asyncio.sleep` in a loop). Polling "
                    "wastes the loop's time and answers late: await one future that on_done "
                    "completes, and the loop wakes you exactly when the answer is in"
                )
                step *= 2
            assert not task.done(), f"lookup {outcome(task)} before the client had answered"
            await answer(client.requests[0])
            await asyncio.wait({task}, timeout=DEADLINE)
            check(watch, client, "when the client answered")
            assert returned(task), f"when the client answered, lookup {outcome(task)}"
            assert task.result() == value_of("k"), (
                f"when the client answered {value_of('k')!r}, lookup {outcome(task)}"
            )
        finally:
            await stop(client, task)


async def cancelled_before_the_answer(student, key: str, error=None) -> None:
    client = FakeClient(errors={key: error} if error is not None else None)
    answer_words = "an error" if error is not None else "a value"
    what = (f"lookup was cancelled while it waited, and the client's answer ({answer_words}) "
            f"arrived afterwards")
    with Watch(student) as watch:
        task = asyncio.create_task(student.lookup(client, key))
        try:
            assert await requests_made(client, 1), f"lookup {outcome(task)} without calling client.get"
            await asyncio.sleep(0.001)
            task.cancel()
            await asyncio.wait({task}, timeout=DEADLINE)
            assert task.done(), (
                "lookup was cancelled while it waited for the client, and it kept waiting: let "
                "the CancelledError propagate (do not catch it)"
            )
            assert task.cancelled(), (
                f"lookup was cancelled while it waited for the client, and it {outcome(task)}: "
                f"it should end cancelled (let the CancelledError propagate)"
            )
            answered = await answer(client.requests[0])
            await settle()
            gc.collect()  # a future holding an exception nobody will ever see is reported now
            await settle()
            check(watch, client, what)
            assert answered, f"{what}, but on_done did not return: it must return at once"
        finally:
            await stop(client, task)


@pytest.mark.points(1)
async def test_cancelled_before_the_value_arrives(student):
    await cancelled_before_the_answer(student, "k")


@pytest.mark.points(1)
async def test_cancelled_before_the_error_arrives(student):
    await cancelled_before_the_answer(student, "gone", LookupFailed("no such key: 'gone'"))


@pytest.mark.points(1)
async def test_cancelled_while_the_answer_is_on_its_way(student):
    client = FakeClient()
    what = ("on_done was called with the value, and lookup was cancelled before the event loop "
            "had run what on_done handed to it")
    with Watch(student) as watch:
        task = asyncio.create_task(student.lookup(client, "k"))
        try:
            assert await requests_made(client, 1), f"lookup {outcome(task)} without calling client.get"
            await asyncio.sleep(0.001)
            request = client.requests[0]
            # All in one step of the loop, on purpose: the client's thread calls on_done while the
            # loop is busy here, and the cancellation comes before the loop runs what on_done
            # scheduled. A check made in the client's thread is out of date by then.
            request.release.set()
            answered = request.answered.wait(THREAD_WAIT)
            task.cancel()
            assert answered, (
                "on_done had not returned after 5 s: on_done runs in the client's thread and must "
                "return at once, without waiting for the event loop"
            )
            await asyncio.wait({task}, timeout=DEADLINE)
            await settle()
            check(watch, client, what)
            assert task.done(), f"{what}, and lookup kept waiting: it should end cancelled"
            assert task.cancelled(), (
                f"{what}, and lookup {outcome(task)}: the cancellation came first, so it should "
                f"end cancelled"
            )
        finally:
            await stop(client, task)


# -- lookup_many ---------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_lookup_many_answers_from_many_threads_at_once(student):
    keys = ["a", "b", "a", "c", "d", "b", "e", "f", "g", "a", "h", "i"]
    client = FakeClient(barrier_for=len(keys))
    with Watch(student) as watch:
        task = asyncio.create_task(student.lookup_many(client, keys))
        try:
            started = await requests_made(client, len(keys))
            assert started, (
                f"lookup_many({keys}) asked the client for only {len(client.requests)} key(s) and "
                f"then waited: start every lookup at once, so that all {len(keys)} requests are "
                f"in flight together"
            )
            answered = await answer(*client.requests)  # all threads call back at the same moment
            await asyncio.wait({task}, timeout=DEADLINE)
            await settle()
            what = f"when the client answered all {len(keys)} requests at once, from {len(keys)} threads"
            check(watch, client, what)
            assert answered, f"{what}, some on_done did not return: it must return at once"
            expected = [value_of(k) for k in keys]
            assert task.done(), (
                f"{what} (the same key more than once among them), lookup_many was still waiting: "
                f"each request needs a future and an on_done of its own"
            )
            assert returned(task), f"{what}, lookup_many {outcome(task)}"
            assert list(task.result()) == expected, (
                f"{what}, lookup_many returned {task.result()!r}; expected the values in the order "
                f"of keys: {expected!r}"
            )
        finally:
            await stop(client, task)


@pytest.mark.points(1)
async def test_lookup_many_raises_the_failing_lookups_error(student):
    keys = ["a", "gone", "c"]
    error = LookupFailed("no such key: 'gone'")
    client = FakeClient(errors={"gone": error})
    with Watch(student) as watch:
        task = asyncio.create_task(student.lookup_many(client, keys))
        try:
            assert await requests_made(client, len(keys)), (
                f"lookup_many({keys}) asked the client for only {len(client.requests)} key(s) and "
                f"then waited: start every lookup at once"
            )
            by_key = {r.key: r for r in client.requests}
            await answer(by_key["a"])
            await answer(by_key["c"])
            await answer(by_key["gone"])
            await asyncio.wait({task}, timeout=DEADLINE)
            await settle()
            what = "when the client reported an error for 'gone' (and values for the others)"
            check(watch, client, what)
            assert raised(task), f"{what}, lookup_many {outcome(task)}"
            assert task.exception() is error, (
                f"{what}, lookup_many {outcome(task)}: it should raise the client's own exception "
                f"object (not a value, not a new exception, not an ExceptionGroup around it)"
            )
        finally:
            await stop(client, task)
