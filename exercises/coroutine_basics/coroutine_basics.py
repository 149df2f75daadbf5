"""Coroutines: calling is not running.

Goal: value a portfolio of shares with an asynchronous price service. ``quote`` is an async function
you are given: ``await quote("ACME")`` asks the service for a quote and returns a dict such as
``{"symbol": "ACME", "price": 12.5}``. ``get_price(symbol, quote)`` returns one symbol's price;
``portfolio_value(holdings, quote)`` adds up shares x price for every symbol of ``holdings`` (a dict
such as ``{"ACME": 10, "INITECH": 3}``); ``main(holdings, quote)`` is the program's plain,
synchronous entry point: it runs ``portfolio_value`` in an event loop and returns the number. The
README has the exact contract; run ``make check``.

This code imports and runs, but it calls async functions as if calling them ran them: calling an
async function only creates a coroutine object, and nothing in its body has run yet.
"""

import asyncio  # noqa: F401 - you will need it


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for ``symbol``'s quote and return its price."""
    # TODO: quote(symbol) does not ask the service anything yet: it returns a coroutine object, and
    #       a coroutine has no "price" to read. Run it to completion and use what it returns.
    response = quote(symbol)
    return response["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Return the sum of shares x price over ``holdings``, pricing each symbol with ``get_price``."""
    total = 0.0
    for symbol, shares in holdings.items():
        # TODO: the same mistake: get_price(...) is a coroutine here, not a price.
        total += shares * get_price(symbol, quote)
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point: value ``holdings`` and return the number."""
    # TODO: main is a plain function, so it cannot `await`. Calling portfolio_value here only creates
    #       a coroutine, and main hands that back unrun instead of a number. Start an event loop that
    #       runs portfolio_value to completion, and return its result.
    return portfolio_value(holdings, quote)
