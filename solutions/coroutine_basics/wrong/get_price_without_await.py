"""get_price calls quote(symbol) without awaiting it, then reads "price" from the coroutine object.

The symptom students meet first: TypeError: 'coroutine' object is not subscriptable (and, once the
coroutine is garbage-collected, "RuntimeWarning: coroutine ... was never awaited").

Caught by: test_get_price_returns_the_quoted_price, test_portfolio_value_adds_shares_times_price, test_main_returns_the_value_when_called_from_plain_sync_code, test_get_price_awaits_one_quote_and_returns_its_price, test_portfolio_value_quotes_every_symbol_once, test_quote_errors_reach_the_caller, test_main_values_the_portfolio_in_one_event_loop
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    response = quote(symbol)
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
