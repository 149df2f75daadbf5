"""END = object() compared with `is`: the consumer gets an unpickled copy, never END itself.

Caught by: test_items_with_none_cross_a_pickling_queue, test_consume_stops_at_the_end_marker, test_run_pipeline_with_a_spawned_producer, test_falsy_items_are_data, test_marker_lookalike_values_are_data, test_a_copy_of_the_end_message_is_data, test_end_marker_from_a_spawned_producer_is_recognised, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
"""

import multiprocessing

END = object()  # unique in this process: but a pickled copy of it is another object


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    items = []
    while True:
        item = queue.get()
        if item is END:  # never true: the queue hands back a copy
            return items
        items.append(item)


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)  # waits forever for an END it cannot recognise
    producer.join()
    return received
