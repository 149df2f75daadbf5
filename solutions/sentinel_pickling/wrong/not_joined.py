"""run_pipeline never joins its producer process: it returns while the child is exiting, unreaped.

Caught by: test_run_pipeline_joins_its_producer
"""

import multiprocessing
from enum import Enum


class _End(Enum):
    END = "end of stream"


END = _End.END


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    items = []
    while (item := queue.get()) is not END:
        items.append(item)
    return items


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    return consume(queue)  # "it has sent END, so it is done": but nobody waits for the process
