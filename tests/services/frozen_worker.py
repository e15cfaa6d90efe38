"""A Celery worker with one function frozen, for tests that kill a worker in the middle of a task.

    python -m tests.services.frozen_worker <module>:<function> <pause file> <celery worker arguments>

Reaching the function writes the pause file and sleeps, so the test can SIGKILL the worker while
the task is running and unacknowledged. The hook lives in the tests, not in the code under test.
"""

import importlib
import os
import sys
import time
from pathlib import Path


def main(argv: list[str]) -> None:
    target, pause_file, *args = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ceds.settings")
    import django

    django.setup()
    module_name, name = target.split(":")
    module = importlib.import_module(module_name)
    original = getattr(module, name)

    def frozen(*a, **kw):
        Path(pause_file).write_text(str(os.getpid()))
        time.sleep(600)
        return original(*a, **kw)

    setattr(module, name, frozen)
    from ceds.celery import app

    app.worker_main(["worker", *args])


if __name__ == "__main__":
    main(sys.argv[1:])
