"""A string marker ("END"): pickles fine, but the data may contain the same string.

Caught by: test_marker_lookalike_values_are_data, test_a_copy_of_the_end_message_is_data, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
"""

import multiprocessing

END = "END"  # survives pickling (== still holds), and collides with the item "END"


def produce(queue, items) -> None:
    for item in items:
        queue.put(item)
    queue.put(END)


def consume(queue) -> list:
    items = []
    while True:
        item = queue.get()
        if item == END:
            return items
        items.append(item)


def run_pipeline(items) -> list:
    queue = multiprocessing.Queue()
    producer = multiprocessing.Process(target=produce, args=(queue, items))
    producer.start()
    received = consume(queue)
    producer.join()
    return received
