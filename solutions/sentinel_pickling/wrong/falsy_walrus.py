"""consume loops `while item := queue.get()`: the first falsy item (None, 0, "") ends the stream.

Caught by: test_items_with_none_cross_a_pickling_queue, test_run_pipeline_with_a_spawned_producer, test_falsy_items_are_data, test_marker_lookalike_values_are_data, test_end_marker_from_a_spawned_producer_is_recognised, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
"""

import multiprocessing
from enum import Enum


class _End(Enum):
    END = "end of stream"


END = _End.END  # a good marker...


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    items = []
    while item := queue.get():  # ...but this also stops at None, 0, "", [], False
        if item is END:
            break
        items.append(item)
    return items


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)
    producer.join()
    return received
