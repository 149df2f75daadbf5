"""Public tests for future_from_callback: run them with `make check`.

Your code talks to `FakeClient`, a double for the legacy client. `client.get(key, on_done)` returns
at once and starts a thread of the client's own; that thread waits until the test lets it answer,
then calls `on_done(value, None)`, or `on_done(None, error)` for a key that fails. So the test, not
luck, decides when each answer arrives. The hidden tests also cancel lookups before (and while)
the answer arrives, check which thread touches your future, and answer from many threads at once.
"""

import asyncio
import threading

import pytest

pytestmark = pytest.mark.exercise("future_from_callback")

DEADLINE = 60  # virtual seconds: a lookup that never returns fails at once instead of hanging
THREAD_WAIT = 5.0  # real seconds the test waits for on_done to return (it takes milliseconds)


class LookupFailed(Exception):
    """What the client reports for a key that does not exist."""


class FakeClient:
    """A legacy client: `get(key, on_done)` answers later, from a thread of its own.

    `errors` maps a key to the exception reported for it. `requests` lists the keys asked for.
    """

    def __init__(self, errors=None):
        self.loop = asyncio.get_running_loop()
        self.errors = errors or {}
        self.requests = []  # (key, gate, answered), in the order get() was called
        self.asked = asyncio.Event()
        self.closed = False
        self.raised = []  # what on_done raised in the client's thread (a real client would log it)

    def get(self, key, on_done):
        gate, answered = threading.Event(), threading.Event()
        self.requests.append((key, gate, answered))
        threading.Thread(target=self._answer, args=(key, on_done, gate, answered), daemon=True,
                         name=f"client-io-{len(self.requests)}").start()
        self.loop.call_soon_threadsafe(self.asked.set)

    def _answer(self, key, on_done, gate, answered):
        if gate.wait(THREAD_WAIT * 4) and not self.closed:
            error = self.errors.get(key)
            try:
                if error is not None:
                    on_done(None, error)
                else:
                    on_done(f"value of {key}", None)
            except Exception as exc:
                self.raised.append(exc)
            finally:
                answered.set()

    def close(self):
        self.closed = True
        for _key, gate, _answered in self.requests:
            gate.set()

    async def wait_for_requests(self, n):
        """Wait until get() was called n times; False if that never happens."""
        try:
            async with asyncio.timeout(DEADLINE):
                while len(self.requests) < n:
                    self.asked.clear()
                    await self.asked.wait()
        except TimeoutError:
            return False
        return True

    async def answer(self, index):
        """Let request number `index` answer, and wait until its on_done has returned."""
        _key, gate, answered = self.requests[index]
        gate.set()
        loop = asyncio.get_running_loop()
        done = await loop.run_in_executor(None, answered.wait, THREAD_WAIT)
        assert not self.raised, (
            f"on_done raised {self.raised[0]!r} in the client's thread: that thread has no event "
            f"loop, and asyncio objects are not thread-safe; use the loop you got in lookup, and "
            f"hand the answer to it with loop.call_soon_threadsafe"
        )
        return done


async def finish(task, name):
    """Wait for the task (bounded); cancel it if it is still running."""
    await asyncio.wait({task}, timeout=DEADLINE)
    if not task.done():
        task.cancel()
        await asyncio.wait({task})
        pytest.fail(f"{name} was still waiting after the client had answered every request: does "
                    f"each request have a future of its own, which its on_done completes?")


@pytest.mark.points(1)
async def test_lookup_returns_the_value(student):
    client = FakeClient()
    task = asyncio.create_task(student.lookup(client, "colour"))
    try:
        assert await client.wait_for_requests(1), "lookup never called client.get"
        assert await client.answer(0), "on_done did not return: it must return at once"
        await finish(task, "lookup")
        assert task.result() == "value of colour", (
            f"the client answered 'value of colour', and lookup returned {task.result()!r}"
        )
    finally:
        client.close()
        task.cancel()
        await asyncio.wait({task})


@pytest.mark.points(1)
async def test_lookup_raises_the_error(student):
    error = LookupFailed("no such key: 'size'")
    client = FakeClient(errors={"size": error})
    task = asyncio.create_task(student.lookup(client, "size"))
    try:
        assert await client.wait_for_requests(1), "lookup never called client.get"
        assert await client.answer(0), "on_done did not return: it must return at once"
        await finish(task, "lookup")
        raised = None if task.cancelled() else task.exception()
        assert raised is error, (
            f"the client called on_done(None, LookupFailed(...)), and lookup "
            f"{'returned ' + repr(task.result()) if raised is None else 'raised ' + repr(raised)}: "
            f"it should raise that very exception (fut.set_exception(error))"
        )
    finally:
        client.close()
        task.cancel()
        await asyncio.wait({task})


@pytest.mark.points(1)
async def test_lookup_many_returns_values_in_key_order(student):
    keys = ["red", "green", "blue"]
    client = FakeClient()
    task = asyncio.create_task(student.lookup_many(client, keys))
    try:
        assert await client.wait_for_requests(3), (
            f"lookup_many({keys}) asked the client for {len(client.requests)} key(s) and then waited "
            f"for an answer: ask for every key first, so that all the lookups are in flight at once"
        )
        for index in (2, 1, 0):  # the answers arrive in reverse order
            assert await client.answer(index), "on_done did not return: it must return at once"
            await asyncio.sleep(0)
        await finish(task, "lookup_many")
        expected = [f"value of {k}" for k in keys]
        assert list(task.result()) == expected, (
            f"the answers arrived in reverse order, and lookup_many returned {task.result()!r}: "
            f"return them in the order of keys, {expected!r}"
        )
    finally:
        client.close()
        task.cancel()
        await asyncio.wait({task})
