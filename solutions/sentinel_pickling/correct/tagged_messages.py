"""A tagged protocol: every message says what it is, ("item", x) or ("end",), so no value can collide.

There is no marker object at all: the tag travels as a plain string, which pickles by value, and
the data is always wrapped, so an item equal to ("end",) is sent as ("item", ("end",)).
"""

import multiprocessing

ITEM = "item"
END = ("end",)


def produce(queue, items) -> None:
    for item in items:
        queue.put((ITEM, item))
    queue.put(END)


def consume(queue) -> list:
    received = []
    while True:
        message = queue.get()
        if message[0] != ITEM:
            return received
        received.append(message[1])


def _producer_main(queue, items) -> None:
    """The child's entry point: module-level, so spawn can pickle it by name."""
    produce(queue, items)


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=_producer_main, args=(queue, list(items)))
    producer.start()
    try:
        received = consume(queue)
    finally:
        producer.join(timeout=60)
        if producer.is_alive():
            producer.terminate()
            producer.join()
    return received
