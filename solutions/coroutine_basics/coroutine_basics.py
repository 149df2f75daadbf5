"""Coroutines: calling is not running: the reference solution.

Goal: value a portfolio of shares with an asynchronous price service. ``get_price`` awaits one quote
and returns its price; ``portfolio_value`` adds up shares x price over the holdings; ``main`` is the
synchronous entry point that runs ``portfolio_value`` with ``asyncio.run`` and returns the number.
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for ``symbol``'s quote and return its price."""
    # quote(symbol) only creates a coroutine object; `await` runs it to completion, right here in the
    # current task, and gives back what it returned (the dict). If quote raises, the error comes out
    # of the `await` and goes on to our caller: a failed lookup must not look like a price.
    response = await quote(symbol)
    return response["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Return the sum of shares x price over ``holdings``, pricing each symbol with ``get_price``."""
    total = 0.0
    for symbol, shares in holdings.items():
        # One quote at a time: each `await` finishes before the next starts. That is correct, just
        # not concurrent (asyncio.gather, in the next exercise, would ask for them all at once).
        total += shares * await get_price(symbol, quote)
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point: value ``holdings`` and return the number."""
    # A plain function cannot await. asyncio.run is the bridge from sync code: it creates an event
    # loop, runs this one coroutine to completion, cancels anything it left running, closes the loop
    # and returns the coroutine's result. Call it once, here, never from inside a coroutine (an
    # event loop is already running there, and asyncio.run refuses to start a second one).
    return asyncio.run(portfolio_value(holdings, quote))
