"""Exercise sentinel_pickling: end markers that survive pickling.

Goal: a producer process puts items on a multiprocessing.Queue, then an end marker; the consumer
takes items until the marker and returns them in order. The items may contain None (and 0, "",
"END"...), and everything that crosses the queue is pickled. Make an end marker that the consumer
still recognises after the trip, so that every item arrives once and in order, the consumer stops,
and no process is left behind. It must work with the `spawn` start method.

Read README.md for the full contract, then run `make check`.
"""

import multiprocessing

# TODO: the items may be any value, None included, so None cannot mark the end. But this marker
# does not work either: what arrives from the queue is an unpickled *copy*, and a copy of an
# object() is a different object. Design a marker that is still recognised after
# pickle.loads(pickle.dumps(...)), in any process.
END = object()


def produce(queue, items) -> None:
    """Put every item of ``items`` on ``queue``, in order, then the end marker."""
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    """Take items from ``queue`` until the end marker; return them in order."""
    items = []
    while True:
        item = queue.get()
        if item is END:  # TODO: never true for a marker that went through pickling
            return items
        items.append(item)


def run_pipeline(items) -> list:
    """Produce ``items`` in a child process, consume them here; return what arrived, in order."""
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)
    # TODO: the producer process is yours to wait for before you return.
    return received
