"""Public tests for coroutine_basics: run them with `make check`.

`quote` is replaced by a fake price service written here: an async function that returns a dict
such as `{"symbol": "ACME", "price": 12.5}`. Note the two kinds of test: an `async def test_...`
runs inside an event loop that is already running (so it can `await` your coroutines), while a
plain `def test_...` is ordinary synchronous code with no event loop, like a script calling `main`.
"""

import inspect

import pytest

pytestmark = pytest.mark.exercise("coroutine_basics")

PRICES = {"ACME": 12.5, "INITECH": 3.25, "GLOBEX": 101.75}


async def fake_quote(symbol):
    """A fake price service: asks nothing of the network, answers from PRICES."""
    return {"symbol": symbol, "price": PRICES[symbol]}


@pytest.mark.points(1)
async def test_get_price_returns_the_quoted_price(student):
    price = await student.get_price("ACME", fake_quote)
    assert price == 12.5, (
        f"get_price('ACME', quote) returned {price!r}; the service quotes ACME at 12.5. Did you "
        f"`await quote(symbol)` before reading its 'price'?"
    )


@pytest.mark.points(1)
async def test_portfolio_value_adds_shares_times_price(student):
    holdings = {"ACME": 10, "INITECH": 4}
    value = await student.portfolio_value(holdings, fake_quote)
    assert value == 10 * 12.5 + 4 * 3.25, (
        f"portfolio_value({holdings}, quote) returned {value!r}; expected 10 x 12.5 + 4 x 3.25 = 138.0"
    )


@pytest.mark.points(1)
def test_main_returns_the_value_when_called_from_plain_sync_code(student):
    # No `await` here: this is a plain function, as a script's main would be called.
    value = student.main({"GLOBEX": 2}, fake_quote)
    if inspect.iscoroutine(value):
        value.close()  # it never ran: close it so that Python does not warn about it as well
        pytest.fail(
            "main({'GLOBEX': 2}, quote) returned a coroutine object, not a number: calling an async "
            "function only creates the coroutine. main must run it in an event loop (asyncio.run) and "
            "return its result.",
            pytrace=False,
        )
    assert value == 2 * 101.75, f"main({{'GLOBEX': 2}}, quote) returned {value!r}; expected 203.5"
