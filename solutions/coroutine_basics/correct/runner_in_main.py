"""main uses asyncio.Runner (3.11+), asyncio.run's building block; the lookups are an async comprehension.

`with asyncio.Runner() as runner` creates the loop on first use and closes it when the block ends,
cancelling leftover tasks first, just as asyncio.run does; a Runner can run several coroutines in the
same loop, which asyncio.run cannot.
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    quoted = await quote(symbol)
    price = quoted["price"]
    return price


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings, one quote after another."""
    # `await` inside a comprehension is allowed in an async function: still sequential.
    return sum([shares * await get_price(symbol, quote) for symbol, shares in holdings.items()])


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    with asyncio.Runner() as runner:
        return runner.run(portfolio_value(holdings, quote))
