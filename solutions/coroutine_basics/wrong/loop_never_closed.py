"""main runs portfolio_value on asyncio.new_event_loop() but never closes the loop.

The number is right, but every call leaks an open loop (its selector and self-pipe sockets);
asyncio.run would have closed it. The public test sees it through the ResourceWarning
("unclosed event loop") that the garbage-collected loop emits; the hidden tests check the loop.

Caught by: test_main_returns_the_value_when_called_from_plain_sync_code, test_main_runs_portfolio_value_to_completion_in_a_loop_it_closes, test_main_values_the_portfolio_in_one_event_loop
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
    """The synchronous entry point: a loop of its own, never closed."""
    loop = asyncio.new_event_loop()
    return loop.run_until_complete(portfolio_value(holdings, quote))
