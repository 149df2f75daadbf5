"""A concurrent.futures.Future completed in the client's thread, awaited through asyncio.wrap_future.

concurrent.futures.Future is thread-safe (it has a lock), so on_done may complete it directly.
asyncio.wrap_future links it to an asyncio future: the copy onto the asyncio side is done on the
loop thread with call_soon_threadsafe, and skipped if the asyncio future was cancelled meanwhile.
Cancelling the asyncio future cancels the concurrent one, so on_done must expect that.
lookup_many: a TaskGroup, unwrapping the ExceptionGroup so the client's own exception propagates.
"""

import asyncio
import concurrent.futures


async def lookup(client, key):
    """Ask ``client.get(key, on_done)``; return the value it calls back with, or raise its error."""
    answer: concurrent.futures.Future = concurrent.futures.Future()

    def on_done(value, error) -> None:
        # If the lookup was cancelled, `answer` was cancelled too, and setting it would raise.
        try:
            if error is not None:
                answer.set_exception(error)
            else:
                answer.set_result(value)
        except concurrent.futures.InvalidStateError:
            pass  # nobody is waiting any more

    client.get(key, on_done)
    return await asyncio.wrap_future(answer)


async def lookup_many(client, keys) -> list:
    """Look every key up at once; return the values in the order of ``keys``."""
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(lookup(client, key)) for key in keys]
    except ExceptionGroup as group_error:
        raise group_error.exceptions[0] from None
    return [task.result() for task in tasks]
