"""consume reads while `not queue.empty()`: an empty queue only means nothing has arrived yet.

Caught by: test_items_with_none_cross_a_pickling_queue, test_consume_stops_at_the_end_marker, test_run_pipeline_with_a_spawned_producer, test_falsy_items_are_data, test_marker_lookalike_values_are_data, test_a_copy_of_the_end_message_is_data, test_end_marker_from_a_spawned_producer_is_recognised, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
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
    while not queue.empty():  # the producer may simply not have put the next item yet
        item = queue.get()
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
