"""manage.py with one function frozen, for tests that kill a command half-way.

    python -m ceds.core.tests.frozen_manage <module>:<function> <pause file> <manage.py arguments>

Reaching the function writes the pause file and sleeps, so the test can kill the process
inside whatever transaction the function is called from. The hook lives here, in the tests,
rather than as a checkpoint in the code under test.
"""

import importlib
import os
import sys
import time
from pathlib import Path


def freeze(target: str, pause_file: str) -> None:
    """Set Django up, then make `target` ("module:function") write the pause file and sleep when reached."""
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


def main(argv: list[str]) -> None:
    target, pause_file, *args = argv
    freeze(target, pause_file)
    from django.core.management import execute_from_command_line

    execute_from_command_line(["manage.py", *args])


if __name__ == "__main__":
    main(sys.argv[1:])
