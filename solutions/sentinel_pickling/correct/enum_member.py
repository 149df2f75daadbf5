"""An Enum member as the marker: members pickle by name (class and member), so `is` holds after the trip.

The run_pipeline asks for the spawn context explicitly, so it behaves the same on every platform.
"""

import enum
import multiprocessing


class Signal(enum.Enum):
    """Control messages of the pipeline. Unpickling looks Signal.END up by name: the same member."""

    END = "end of stream"


END = Signal.END


def produce(queue, items) -> None:
    """Put every item, then Signal.END."""
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    """Get until Signal.END; return the items in order."""
    items = []
    while (item := queue.get()) is not END:
        items.append(item)
    return items


def run_pipeline(items) -> list:
    """A spawned producer, the parent consuming; the producer is joined before returning."""
    ctx = multiprocessing.get_context("spawn")
    queue = ctx.Queue()
    producer = ctx.Process(target=produce, args=(queue, items), name="producer")
    producer.start()
    try:
        return consume(queue)
    finally:
        producer.join()
