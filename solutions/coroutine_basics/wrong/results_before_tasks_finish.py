"""portfolio_value schedules a task per symbol but reads the results without awaiting the tasks.

create_task schedules get_price; it does not run it now. The tasks have not even started when
task.result() is called, which raises InvalidStateError, and the tasks are left behind.

Caught by: test_portfolio_value_adds_shares_times_price, test_main_returns_the_value_when_called_from_plain_sync_code, test_portfolio_value_quotes_every_symbol_once, test_quote_errors_reach_the_caller, test_main_values_the_portfolio_in_one_event_loop
"""

import asyncio


async def get_price(symbol: str, quote) -> float:
    """Ask the price service for symbol's quote and return its price."""
    response = await quote(symbol)
    return response["price"]


async def portfolio_value(holdings: dict[str, int], quote) -> float:
    """Sum of shares x price over holdings, one task per symbol."""
    tasks = {symbol: asyncio.create_task(get_price(symbol, quote)) for symbol in holdings}
    return sum(shares * tasks[symbol].result() for symbol, shares in holdings.items())


def main(holdings: dict[str, int], quote) -> float:
    """The synchronous entry point."""
    return asyncio.run(portfolio_value(holdings, quote))
