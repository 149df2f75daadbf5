"""Hidden grader for coroutine_basics.

``quote`` is always a double written here (``FakeQuotes``): it logs every request, remembers the event
loop that ran it, may wait a little on the virtual clock, and answers from a price table (or raises
``QuoteError``). The async tests await ``get_price`` and ``portfolio_value`` inside the test's
running loop, as any caller would; the plain ``def`` tests call ``main`` from synchronous code with
no loop running, where ``main`` must start (and close) the loop itself. The prices are multiples of
1/4, so every sum is exact in floating point whatever order the student adds in.
"""

import asyncio
import contextlib
import inspect
from collections.abc import AsyncIterator, Iterator

import pytest

from grader.testing import EventLog, must_finish, now

pytestmark = pytest.mark.exercise("coroutine_basics")

# Long enough that a wrong solution which hangs ends at once (virtual time), well past every double.
DEADLINE = 60
PRICES = {"ACME": 12.5, "INITECH": 3.25, "GLOBEX": 101.75, "HOOLI": 0.5, "UMBRELLA": 48.0}
NESTED_RUN_ADVICE = (
    "asyncio.run() was called while an event loop was already running (the one running your "
    "coroutine): asyncio.run is the entry point from plain synchronous code, used once, in main. "
    "Inside a coroutine, `await` the coroutine instead."
)
FORGOTTEN_AWAIT_ADVICE = (
    "A coroutine object was used as if it were the result of the call: calling an async function "
    "only creates the coroutine, and none of its code runs until you `await` it."
)
UNFINISHED_TASK_ADVICE = (
    "A task's result was read before the task had finished: creating a task only schedules it. "
    "`await` the task (or simply `await` the coroutine) to get its result."
)


class QuoteError(Exception):
    """What a failing fake quote raises (the price service is down, say)."""


class FakeQuotes:
    """A double for ``quote``: logs each request, records its loop, answers from ``PRICES``.

    ``delay`` is virtual time in async tests; the sync tests (``main``'s own loop runs on the real
    clock) use no delay, only a ``sleep(0)``, so that every quote still suspends once.
    """

    def __init__(self, delay: float = 0.0, failing: str | None = None) -> None:
        self.delay = delay
        self.failing = failing
        self.log = EventLog()
        self.loops: list[asyncio.AbstractEventLoop] = []

    async def quote(self, symbol: str) -> dict:
        """The fake price service, passed to the student as ``quote``."""
        self.log("quote", symbol)
        self.loops.append(asyncio.get_running_loop())
        await asyncio.sleep(self.delay)
        if symbol == self.failing:
            raise QuoteError(f"price service unavailable for {symbol}")
        assert symbol in PRICES, f"quote was asked for {symbol!r}, which is not one of the holdings"
        return {"symbol": symbol, "price": PRICES[symbol], "currency": "USD"}


def expected_value(holdings: dict[str, int]) -> float:
    return sum(shares * PRICES[symbol] for symbol, shares in holdings.items())


@contextlib.asynccontextmanager
async def student_call(call: str) -> AsyncIterator[None]:
    """Bound an awaited student call in virtual time; turn the classic mistakes into words."""
    try:
        async with must_finish(call, within=DEADLINE):
            yield
    except RuntimeError as exc:
        if "running event loop" not in str(exc):
            raise
        pytest.fail(f"{call} raised RuntimeError: {exc}. {NESTED_RUN_ADVICE}", pytrace=False)
    except TypeError as exc:
        if "coroutine" not in str(exc):
            raise
        pytest.fail(f"{call} raised TypeError: {exc}. {FORGOTTEN_AWAIT_ADVICE}", pytrace=False)
    except asyncio.InvalidStateError as exc:
        pytest.fail(f"{call} raised InvalidStateError: {exc}. {UNFINISHED_TASK_ADVICE}", pytrace=False)


@contextlib.contextmanager
def sync_call(call: str) -> Iterator[None]:
    """Turn the classic mistakes of a call from plain sync code into words."""
    try:
        yield
    except RuntimeError as exc:
        if "running event loop" not in str(exc):
            raise
        pytest.fail(f"{call} raised RuntimeError: {exc}. {NESTED_RUN_ADVICE}", pytrace=False)
    except TypeError as exc:
        if "coroutine" not in str(exc):
            raise
        pytest.fail(f"{call} raised TypeError: {exc}. {FORGOTTEN_AWAIT_ADVICE}", pytrace=False)
    except asyncio.InvalidStateError as exc:
        pytest.fail(f"{call} raised InvalidStateError: {exc}. {UNFINISHED_TASK_ADVICE}", pytrace=False)


def a_number(value: object, call: str) -> float:
    """``value``, if it is a number; fail in words if main handed back a coroutine."""
    if inspect.iscoroutine(value):
        value.close()  # it never ran: close it, so that only this message is reported
        pytest.fail(
            f"{call} returned a coroutine object, not a number: calling an async function only "
            f"creates the coroutine, and none of its code has run. A plain function cannot await "
            f"it: run it with asyncio.run(...) and return what that returns.",
            pytrace=False,
        )
    is_number = isinstance(value, int | float) and not isinstance(value, bool)
    assert is_number, f"{call} returned {value!r}; it should return the portfolio's value, a number"
    return value


# -- get_price ------------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_get_price_awaits_one_quote_and_returns_its_price(student):
    fake = FakeQuotes(delay=0.5)
    async with student_call("get_price('GLOBEX', quote)"):
        price = await student.get_price("GLOBEX", fake.quote)
    assert price == 101.75, f"get_price('GLOBEX', quote) returned {price!r}; GLOBEX is quoted at 101.75"
    async with student_call("get_price('HOOLI', quote)"):
        price = await student.get_price("HOOLI", fake.quote)
    assert price == 0.5, f"get_price('HOOLI', quote) returned {price!r}; HOOLI is quoted at 0.5"
    assert fake.log.events == [("quote", "GLOBEX"), ("quote", "HOOLI")], (
        f"get_price('GLOBEX', quote) then get_price('HOOLI', quote) asked the service for "
        f"{[e[1] for e in fake.log.events]}; each call should ask for its own symbol exactly once"
    )
    assert now() == 1.0, (
        f"two quotes that take 0.5 s each were over after {now()} s: get_price should wait for its "
        f"quote to finish (await it) before returning"
    )


# -- portfolio_value ------------------------------------------------------------------------------


@pytest.mark.points(1)
async def test_portfolio_value_quotes_every_symbol_once(student):
    holdings = {"ACME": 10, "INITECH": 7, "GLOBEX": 3, "HOOLI": 1, "UMBRELLA": 2}
    fake = FakeQuotes(delay=0.25)
    async with student_call("portfolio_value(5 holdings, quote)"):
        value = await student.portfolio_value(holdings, fake.quote)
    asked = sorted(e[1] for e in fake.log.events)
    assert asked == sorted(holdings), (
        f"portfolio_value(5 holdings, quote) asked the service for {asked}; it should ask for every "
        f"symbol of the holdings exactly once"
    )
    assert value == expected_value(holdings), (
        f"portfolio_value({holdings}, quote) returned {value!r}; expected the sum of shares x price, "
        f"{expected_value(holdings)}"
    )


@pytest.mark.points(1)
async def test_portfolio_value_of_no_holdings_is_zero(student):
    fake = FakeQuotes(delay=0.25)
    async with student_call("portfolio_value({}, quote)"):
        value = await student.portfolio_value({}, fake.quote)
    is_zero = value == 0 and not isinstance(value, bool)
    assert is_zero, f"portfolio_value({{}}, quote) returned {value!r}; an empty portfolio is worth 0"
    assert fake.log.events == [], "portfolio_value({}, quote) should not ask the service for anything"


@pytest.mark.points(1)
async def test_quote_errors_reach_the_caller(student):
    fake = FakeQuotes(delay=0.25, failing="INITECH")
    raised: list[BaseException] = []
    price = None
    try:
        async with student_call("get_price('INITECH', quote)"):
            price = await student.get_price("INITECH", fake.quote)
    except* QuoteError as group:  # on its own, or (should get_price use a TaskGroup) in a group
        raised.extend(group.exceptions)
    assert raised, (
        f"the service raised QuoteError for INITECH, but get_price('INITECH', quote) returned "
        f"{price!r}: let the error reach the caller (a failed lookup is not a price)"
    )
    holdings = {"ACME": 2, "INITECH": 5, "GLOBEX": 1}
    errors: list[BaseException] = []
    value = None
    try:
        async with student_call("portfolio_value(holdings, quote)"):
            value = await student.portfolio_value(holdings, fake.quote)
    except* QuoteError as group:  # the error itself, or inside an ExceptionGroup (TaskGroup)
        errors.extend(group.exceptions)
    # Quotes running alongside the failed one (gather) may still be in flight: let them end.
    await asyncio.sleep(1)
    assert errors, (
        f"the service raised QuoteError for INITECH, but portfolio_value returned {value!r}: "
        f"let the error reach the caller, do not value the portfolio without it"
    )


# -- main -----------------------------------------------------------------------------------------


@pytest.mark.points(2)
def test_main_runs_portfolio_value_to_completion_in_a_loop_it_closes(student):
    # main is graded on its own: portfolio_value is replaced by a fake (main looks the name up when it
    # runs), so this test passes or fails whatever state portfolio_value is in.
    runs: list[tuple[object, object, asyncio.AbstractEventLoop]] = []

    async def fake_portfolio_value(holdings, quote):
        runs.append((holdings, quote, asyncio.get_running_loop()))
        await asyncio.sleep(0)
        return 4321.25

    student.portfolio_value = fake_portfolio_value
    holdings = {"ACME": 1, "GLOBEX": 2}
    fake = FakeQuotes()
    assert not runs
    with sync_call("main(holdings, quote)"):
        value = a_number(student.main(holdings, fake.quote), "main(holdings, quote)")
    assert len(runs) == 1, (
        f"main(holdings, quote) ran portfolio_value {len(runs)} time(s); it should run "
        f"portfolio_value(holdings, quote) exactly once, with asyncio.run, and return its result"
    )
    got_holdings, got_quote, loop = runs[0]
    passed_on = got_holdings == holdings and got_quote == fake.quote
    assert passed_on, "main(holdings, quote) should pass its own holdings and quote on to portfolio_value"
    assert value == 4321.25, (
        f"portfolio_value returned 4321.25, but main(holdings, quote) returned {value!r}: return "
        f"the result of running it"
    )
    assert loop.is_closed(), (
        "main(holdings, quote) returned the right number but left its event loop open: a loop holds "
        "resources (a selector, sockets) until it is closed. asyncio.run closes it for you; with "
        "asyncio.new_event_loop() you must call loop.close() yourself."
    )


@pytest.mark.points(1)
def test_main_values_the_portfolio_in_one_event_loop(student):
    holdings = {"UMBRELLA": 3, "ACME": 4, "HOOLI": 6}
    fake = FakeQuotes()
    with sync_call("main(holdings, quote)"):
        value = a_number(student.main(holdings, fake.quote), "main(holdings, quote)")
    assert value == expected_value(holdings), (
        f"main({holdings}, quote) returned {value!r}; expected the sum of shares x price, "
        f"{expected_value(holdings)}"
    )
    loops = {id(loop) for loop in fake.loops}
    assert len(loops) == 1, (
        f"main's {len(fake.loops)} quotes ran in {len(loops)} different event loops: run the whole "
        f"of portfolio_value in one event loop (one asyncio.run, in main), and inside it `await`"
    )
    assert all(loop.is_closed() for loop in fake.loops), (
        "main returned, but the event loop that ran the quotes is still open: close it (asyncio.run does)"
    )
    # Errors from the service come out of main too, and main can run again with a new loop.
    failing = FakeQuotes(failing="ACME")
    errors: list[BaseException] = []
    try:
        with sync_call("main(holdings, quote)"):
            student.main(holdings, failing.quote)
    except* QuoteError as group:
        errors.extend(group.exceptions)
    assert errors, (
        "the service raised QuoteError for ACME, but main(holdings, quote) did not raise it: let the "
        "error reach main's caller"
    )
