"""An import killed half-way (SIGKILL, as an out-of-memory killer or a power cut would)
leaves the database exactly as it was: no half-loaded framework, no half an index.

Each test runs manage.py in a child process on its own SQLite file, freezes it inside the
import's transaction by freezing a function the import calls late
(ceds/core/tests/frozen_manage.py: the code under test has no hook), kills it, and compares
every table's row count before and after.
"""

import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from ceds.content.tests.helpers import FIXTURE, edit_yaml

ROOT = Path(__file__).resolve().parents[3]


def _manage(db: Path, *args, pause_file: Path | None = None, wait: bool = True, freeze: str = ""):
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CEDS_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(DATABASE_URL=f"sqlite:///{db}", CEDS_TESTING="0")
    command = ["-m", "ceds.core.tests.frozen_manage", freeze, str(pause_file)] if freeze else ["manage.py"]
    process = subprocess.Popen(
        [sys.executable, *command, *args], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    if wait:
        _out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()[-2000:]
    return process


def _counts(db: Path) -> dict[str, int]:
    with sqlite3.connect(db) as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type='table'")]
        # Table names come from sqlite_master itself, not from input.
        return {t: con.execute(f'select count(*) from "{t}"').fetchone()[0] for t in tables}  # noqa: S608


def _kill_frozen(db: Path, tmp_path: Path, freeze: str, *args) -> None:
    """Run manage.py *args with `freeze` (module:function) frozen, then kill it there."""
    pause = tmp_path / "frozen.paused"
    process = _manage(db, *args, pause_file=pause, wait=False, freeze=freeze)
    deadline = time.monotonic() + 60
    while not pause.exists():
        assert process.poll() is None, process.stderr.read().decode()[-2000:]
        assert time.monotonic() < deadline, "the import never reached the frozen function"
        time.sleep(0.05)
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL


@pytest.fixture
def loaded(tmp_path):
    db = tmp_path / "ceds.sqlite3"
    _manage(db, "migrate", "-v0")
    _manage(db, "load_content", "--content", str(FIXTURE))
    return db


def test_killed_content_load_changes_nothing(loaded, tmp_path):
    content = tmp_path / "content"
    shutil.copytree(FIXTURE, content)

    def add_a_framework_version(data):
        data["version"] = 2

    framework = next((content / "frameworks" / "kinds").glob("1/framework.yaml"))
    shutil.copytree(framework.parent, framework.parent.parent / "2")
    edit_yaml(framework.parent.parent / "2" / "framework.yaml", add_a_framework_version)
    before = _counts(loaded)
    # Frameworks are written before the library: frozen there, the new version is uncommitted.
    _kill_frozen(loaded, tmp_path, "ceds.content.loader:load_modules", "load_content", "--content", str(content))
    assert _counts(loaded) == before
    # The same load, not killed, does change the database: the test would have seen it.
    _manage(loaded, "load_content", "--content", str(content))
    assert _counts(loaded)["frameworks_frameworkversion"] == before["frameworks_frameworkversion"] + 1


def test_killed_index_import_changes_nothing(loaded, tmp_path):
    csv = tmp_path / "egdi.csv"
    csv.write_text("country,rank,egdi\nSpain,18,0.91\nFrance,10,0.93\nJapan,13,0.92\nKenya,116,0.51\n")
    before = _counts(loaded)
    # The audit record is the import's last write, after every value: frozen there, the
    # transaction holds the whole edition uncommitted.
    _kill_frozen(loaded, tmp_path, "ceds.core.audit:record", "import_reference_index", str(csv), "--year", "2024")
    assert _counts(loaded) == before
    _manage(loaded, "import_reference_index", str(csv), "--year", "2024")
    assert _counts(loaded)["indices_referencevalue"] == 4
