"""docs/api.md's complete script, run as written against a live server."""

import json
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from ceds.api.tests.fixtures import FULL

DOC = Path(settings.BASE_DIR) / "docs" / "api.md"
# The fixture framework's answers as API bodies (the form's strings become JSON values).
BODIES = {
    "GV-01": {"kind": "level", "value": 2},
    "GV-02": {"kind": "scale", "value": 3},
    "GV-03": {"kind": "binary", "value": True},
    "GV-04": {"kind": "number", "value": 40},
    "SV-001": {"kind": "service", "status": "operating", "level": 3, "utilization": 40},
    "SV-002": {"kind": "service", "status": "planned"},
}


def test_the_documented_script_runs_a_whole_cycle(api_world, live_server, tmp_path):
    assert set(BODIES) == set(FULL), "the script answers every item of the test framework"
    script = re.search(r"<!-- script:start -->\s*```python\n(.*?)```\s*<!-- script:end -->", DOC.read_text(), re.S)
    assert script, "docs/api.md has the script between its markers"
    (tmp_path / "cycle.py").write_text(script.group(1))
    (tmp_path / "answers.json").write_text(json.dumps(BODIES))
    env = {
        "PATH": "/usr/bin:/bin",
        "CEDS_URL": live_server.url,
        "CEDS_COORDINATOR_TOKEN": api_world.extra["tokens"]["a_coordinator"],
        "CEDS_REGIONAL_TOKEN": api_world.extra["tokens"]["regional"],
        "CEDS_CITY": "seoul",
        "CEDS_PERIOD": "2023",
        "CEDS_FRAMEWORK": "kinds",
    }
    run = subprocess.run(
        [sys.executable, "cycle.py"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "saved 6 answers" in run.stdout and "submitted and validated" in run.stdout
    pdf = tmp_path / "ceds-report-seoul-2023.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    from ceds.assessments.models import Assessment

    assert Assessment.objects.get(period="2023").status == "validated"
