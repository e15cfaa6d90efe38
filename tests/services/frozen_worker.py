"""A Celery worker with one function frozen, for tests that kill a worker in the middle of a task.

    python -m tests.services.frozen_worker <module>:<function> <pause file> <celery worker arguments>

Reaching the function writes the pause file and sleeps, so the test can SIGKILL the worker while
the task is running and unacknowledged. The hook lives in the tests, not in the code under test.
"""

import sys

from ceds.core.tests.frozen_manage import freeze


def main(argv: list[str]) -> None:
    target, pause_file, *args = argv
    freeze(target, pause_file)
    from ceds.celery import app

    app.worker_main(["worker", *args])


if __name__ == "__main__":
    main(sys.argv[1:])
