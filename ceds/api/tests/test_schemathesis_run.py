"""schemathesis as an integrator runs it: the CLI against a live server, every check
(`--checks all`) and every phase (examples, coverage, fuzzing, stateful along the schema's
links), with the committed configuration (schemathesis.toml beside this file: a fixed seed,
example and step counts, and the statuses each check accepts). Heavy: one CI pass."""

import subprocess
import sys
from pathlib import Path

import pytest

from ceds.api.tests.fixtures import good_requests

pytestmark = pytest.mark.heavy

CONFIG = Path(__file__).with_name("schemathesis.toml")
CLI = Path(sys.executable).parent / "st"


def test_schemathesis_finds_nothing(api_world, live_server, tmp_path):
    good_requests(api_world)  # cycles in every state, a published result, an index
    token = api_world.extra["tokens"]["a_coordinator"]
    command = [
        str(CLI),
        "--no-color",
        "--config-file",
        str(CONFIG),
        "run",
        f"{live_server.url}/api/v1/schema/?format=json",
    ]
    command += [
        "--checks",
        "all",
        "--header",
        f"Authorization: Bearer {token}",
    ]
    run = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=240)
    output = run.stdout + run.stderr
    assert run.returncode == 0, output[-20000:]
