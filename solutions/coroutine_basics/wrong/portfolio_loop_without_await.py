"""portfolio_value calls get_price(symbol, quote) in its loop without awaiting it.

shares * <coroutine> raises TypeError: unsupported operand type(s) for *: 'int' and 'coroutine'.

Caught by: test_portfolio_value_adds_shares_times_price, test_main_returns_the_value_when_called_from_plain_sync_code, test_portfolio_value_quotes_every_symbol_once, test_quote_errors_reach_the_caller, test_main_values_the_portfolio_in_one_event_loop
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
        total += shares * get_price(symbol, quote)
    return total


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    return asyncio.run(portfolio_value(holdings, quote))
