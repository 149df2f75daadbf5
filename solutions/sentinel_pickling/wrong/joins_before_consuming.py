"""run_pipeline joins the producer before consuming: with more data than the pipe holds, both wait forever.

Caught by: test_run_pipeline_reads_before_joining
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
    producer.join()  # "let it finish first": it cannot, until someone reads what it put
    return consume(queue)
