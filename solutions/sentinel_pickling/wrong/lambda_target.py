"""run_pipeline gives Process a lambda as target: fine with fork, but spawn must pickle it, and cannot.

Caught by: test_run_pipeline_with_a_spawned_producer, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
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
    producer = multiprocessing.Process(target=lambda: produce(queue, items))  # no name to pickle by
    producer.start()
    received = consume(queue)
    producer.join()
    return received
