"""The marker is a class object itself, consumed with iter(queue.get, END); a classic two-liner.

Classes pickle by reference (module and qualified name), so the consumer gets END itself back,
and `==` on a class is identity: iter(queue.get, END) stops exactly there. run_pipeline releases
the Process object's resources with close() once it has been joined.
"""

import multiprocessing


class END:
    """Not instantiated: the class object is the marker."""


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    return list(iter(queue.get, END))


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items), daemon=True)
    producer.start()
    received = consume(queue)
    producer.join()
    producer.close()
    return received
