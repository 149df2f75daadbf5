"""An asyncio.TaskGroup with one task per symbol; a failed quote reaches the caller in an ExceptionGroup.

The tasks are scheduled by create_task and have all finished when the `async with` block ends, so
reading their results after it is safe.
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    response = await quote(symbol)
    return float(response["price"])


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings, one task per symbol."""
    async with asyncio.TaskGroup() as group:
        tasks = {symbol: group.create_task(get_price(symbol, quote)) for symbol in holdings}
    return sum(shares * tasks[symbol].result() for symbol, shares in holdings.items())


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    return asyncio.run(portfolio_value(holdings, quote))
