"""Instances of a module-level marker class, recognised with isinstance: the class pickles by name.

Every unpickled copy is a new EndOfStream instance, so identity is not used at all: the type is
what survives (pickle stores "sentinel_pickling.EndOfStream" and finds the class again by name).
No item can be an EndOfStream unless this module made it.
"""

import multiprocessing


class EndOfStream:
    """Put on the queue after the last item."""

    def __repr__(self) -> str:
        return "EndOfStream()"


END = EndOfStream()


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    received = []
    while True:
        item = queue.get()
        if isinstance(item, EndOfStream):
            break
        received.append(item)
    return received


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)
    producer.join()
    queue.close()
    queue.join_thread()
    return received
