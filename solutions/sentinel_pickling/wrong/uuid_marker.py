"""A random string marker made at import: unique, but each spawned process imports its own.

Caught by: test_run_pipeline_with_a_spawned_producer, test_a_copy_of_the_end_message_is_data, test_end_marker_from_a_spawned_producer_is_recognised, test_run_pipeline_joins_its_producer, test_run_pipeline_reads_before_joining
"""

import multiprocessing
import uuid

# "No item will ever be equal to this." True, but with spawn the child imports this module afresh
# and draws another uuid: the producer's END is not the consumer's END. (With fork it would work.)
END = f"__END__{uuid.uuid4().hex}"


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
