"""fetch_reports uses `with ThreadPoolExecutor(limit)`: leaving the block joins its threads on the loop.

Fine while every load succeeds; but when cancelled (or when a load fails) the with block's exit
calls shutdown(wait=True), which blocks the event loop until the running loads finish.

Caught by: test_cancelled_fetch_reports_ends_at_once_and_starts_nothing_new, test_load_errors_reach_the_caller_unchanged
"""

import asyncio
import concurrent.futures


async def fetch_report(report_id, load) -> dict:
    return await asyncio.to_thread(load, report_id)


async def fetch_reports(ids, load, *, limit=4) -> list:
    loop = asyncio.get_running_loop()
    with concurrent.futures.ThreadPoolExecutor(max_workers=limit) as pool:
        return await asyncio.gather(*(loop.run_in_executor(pool, load, report_id) for report_id in ids))
