"""Running one function in several threads at once, for the concurrency tests on PostgreSQL."""

import threading

from django.db import connections


def race(target, count):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait()
            results[index] = target(index)
        except Exception as error:  # recorded, judged by the test
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results
