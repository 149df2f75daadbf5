"""main manages the loop by hand, the pre-3.7 way: new_event_loop, run_until_complete, close in finally.

Longer than asyncio.run and it does less (it does not cancel leftover tasks or shut down async
generators), but for this program it is equivalent: one loop, run to completion, always closed.
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
        price = await get_price(symbol, quote)
        total += shares * price
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    loop = asyncio.new_event_loop()
    try:
        return loop.run_until_complete(portfolio_value(holdings, quote))
    finally:
        loop.close()
