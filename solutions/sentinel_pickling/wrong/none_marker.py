"""None is the end marker: consume stops at the first None item, which is data.

Caught by: test_items_with_none_cross_a_pickling_queue, test_run_pipeline_with_a_spawned_producer, test_falsy_items_are_data, test_a_copy_of_the_end_message_is_data, test_end_marker_from_a_spawned_producer_is_recognised, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
"""

import multiprocessing

END = None  # "None means no more items": the classic marker, until the data contains None


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    return list(iter(queue.get, END))  # stops at the first item equal to None


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)
    producer.join()
    return received
