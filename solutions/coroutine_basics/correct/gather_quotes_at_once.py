"""asyncio.gather asks for every quote at once; the prices come back in the order of the holdings.

Not required by the exercise (one quote after another is correct too), but the natural next step:
the next exercise, fix_blocking, is about exactly this.
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    return (await quote(symbol))["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings, all quotes requested at the same time."""
    symbols = list(holdings)
    # gather returns the results in the order of its arguments, whatever order they finish in,
    # and raises the first error a lookup raises.
    prices = await asyncio.gather(*(get_price(symbol, quote) for symbol in symbols))
    return sum(holdings[symbol] * price for symbol, price in zip(symbols, prices, strict=True))


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point: one event loop, run to completion, then closed."""
    return asyncio.run(portfolio_value(holdings, quote))
