"""get_price catches the service's error and returns 0.0, so a failed lookup is valued as worthless.

Caught by: test_quote_errors_reach_the_caller, test_main_values_the_portfolio_in_one_event_loop
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote; 0.0 if the service fails."""
    try:
        response = await quote(symbol)
    except Exception:
        return 0.0
    return response["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings."""
    total = 0.0
    for symbol, shares in holdings.items():
        total += shares * await get_price(symbol, quote)
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    return asyncio.run(portfolio_value(holdings, quote))
