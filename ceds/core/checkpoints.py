"""Named points inside long all-or-nothing operations where a test can freeze the process.

With CEDS_PAUSE_AT=<name> and CEDS_PAUSE_FILE=<path> in the environment, reaching the
point writes the file and sleeps, so a test can kill the process mid-transaction with
SIGKILL and check that the database is as before. Without both variables it does nothing.
"""

import os
import time
from pathlib import Path


def checkpoint(name: str) -> None:
    if os.environ.get("CEDS_PAUSE_AT") != name or not os.environ.get("CEDS_PAUSE_FILE"):
        return
    Path(os.environ["CEDS_PAUSE_FILE"]).write_text(str(os.getpid()))
    time.sleep(600)
