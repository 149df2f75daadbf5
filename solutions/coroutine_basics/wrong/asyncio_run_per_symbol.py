"""main skips portfolio_value and calls asyncio.run once per symbol: a new event loop for each quote.

The number is right, but each lookup starts and tears down a whole event loop, and nothing can
ever run alongside anything else: one asyncio.run, in main, should run the whole program.

Caught by: test_main_runs_portfolio_value_to_completion_in_a_loop_it_closes, test_main_values_the_portfolio_in_one_event_loop
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    response = await quote(symbol)
    return response["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings."""
    total = 0.0
    for symbol, shares in holdings.items():
        total += shares * await get_price(symbol, quote)
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point: one asyncio.run per symbol."""
    return sum(shares * asyncio.run(get_price(symbol, quote)) for symbol, shares in holdings.items())
