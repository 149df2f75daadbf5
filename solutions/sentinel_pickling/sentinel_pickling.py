"""End markers that survive pickling: the reference solution of sentinel_pickling.

A producer process puts items on a ``multiprocessing.Queue`` and then an end marker; the consumer
takes items until it sees the marker. The items may be anything built from Python's own types,
``None`` included, so the marker cannot be a value the data could contain. And everything that
crosses the queue is pickled and unpickled, so ``object()`` cannot be the marker either: the
consumer would receive a *copy*, never the object it compares against.

``END`` here is a module-level singleton that pickles *by name*: its pickle says "the object
called ``END`` in module ``sentinel_pickling``", and unpickling looks that name up. In the
consumer's process that finds the consumer's own ``END``, so ``item is END`` holds after the trip,
whichever process put it and whether it was started with ``spawn`` or ``fork``.
"""

import multiprocessing


class _EndOfStream:
    """The type of ``END``: one instance, which pickles as a reference to that instance."""

    __slots__ = ()

    def __reduce__(self):
        # A string from __reduce__ means "pickle me as the global of that name in my module".
        # The pickle then holds only "sentinel_pickling END", not the object's contents, and
        # loading it returns the existing END of the loading process: identity survives.
        return "END"

    def __repr__(self) -> str:
        return "END"


END = _EndOfStream()


def produce(queue, items) -> None:
    """Put every item of ``items`` on ``queue``, in order, then the end marker."""
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    """Take items from ``queue`` until the end marker; return them in order.

    Nothing after the marker is taken: whatever follows it stays in the queue.
    """
    items = []
    while True:
        item = queue.get()
        # `is`, not `==`: an item's own __eq__ could claim to equal anything. The identity test
        # is sound because END unpickles as this very object (see _EndOfStream.__reduce__).
        if item is END:
            return items
        items.append(item)


def run_pipeline(items) -> list:
    """Produce ``items`` in a child process, consume them here; return what arrived, in order.

    The producer has finished and been joined when this returns: no process is left behind.
    """
    queue = multiprocessing.Queue()
    # The target is a module-level function: with the `spawn` start method (the default on macOS
    # and Windows) the child is a fresh interpreter that receives the target *pickled*, i.e. by
    # name, and imports this module to find it. A lambda or a nested function has no such name.
    producer = multiprocessing.Process(target=produce, args=(queue, list(items)))
    producer.start()
    try:
        # Consume first, join second. The child cannot exit until everything it put has been
        # written into the queue's pipe, and a pipe holds only so much: joining before reading
        # can wait forever for a child that is waiting for us.
        received = consume(queue)
    except BaseException:
        producer.terminate()  # we will not read the rest: do not wait for a child that can't finish
        raise
    finally:
        producer.join()
    return received
