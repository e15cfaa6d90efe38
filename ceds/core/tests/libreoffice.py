"""LibreOffice for tests: re-save a file headless, and edit cells of a spreadsheet through UNO.

Each call uses its own throw-away user profile, so runs in parallel never share one. The UNO
edit runs in Debian's python3 (python3-uno), outside the project's virtualenv.
"""

import json
import shutil
import subprocess
from pathlib import Path

import pytest

SOFFICE = shutil.which("soffice") or "/usr/bin/soffice"
SYSTEM_PYTHON = "/usr/bin/python3"

# Runs in Debian's python3: start soffice on a pipe, load the file hidden, set the cells,
# store as XLSX, shut down.
UNO_EDIT = r"""
import json, subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

soffice, profile, source, target, edits = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], json.loads(sys.argv[5])
pipe = "ceds" + str(abs(hash(profile)))
office = subprocess.Popen([soffice, "--headless", "--invisible", "--norestore", "--nologo", "--nodefault",
                           "-env:UserInstallation=" + uno.systemPathToFileUrl(profile),
                           "--accept=pipe,name=%s;urp;StarOffice.ComponentContext" % pipe])
def prop(name, value):
    p = PropertyValue(); p.Name, p.Value = name, value; return p
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            context = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    else:
        sys.exit("LibreOffice did not start")
    desktop = context.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", context)
    document = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, (prop("Hidden", True),))
    for edit in edits:
        cell = document.Sheets.getByName(edit["sheet"]).getCellRangeByName(edit["cell"])
        if isinstance(edit["value"], (int, float)):
            cell.setValue(edit["value"])
        else:
            cell.setString(edit["value"])
    document.storeToURL(uno.systemPathToFileUrl(target), (prop("FilterName", "Calc MS Excel 2007 XML"),))
    document.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
finally:
    try:
        office.wait(timeout=30)
    except subprocess.TimeoutExpired:
        office.kill()
"""


def _require(*programs: str) -> None:
    missing = [p for p in programs if not Path(p).exists()]
    if missing:
        pytest.fail(f"{', '.join(missing)} not found; `make test` installs libreoffice-calc-nogui and python3-uno")


def convert(source: Path, fmt: str, outdir: Path, profile: Path) -> Path:
    """`soffice --headless --convert-to fmt` with default options; returns the converted file."""
    _require(SOFFICE)
    outdir.mkdir(parents=True, exist_ok=True)
    command = [SOFFICE, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore"]
    command += ["--convert-to", fmt, "--outdir", str(outdir), str(source)]
    run = subprocess.run(command, capture_output=True, text=True, timeout=120)
    target = outdir / f"{source.stem}.{fmt.split(':')[0]}"
    assert run.returncode == 0 and target.exists(), run.stdout + run.stderr
    return target


def edit_cells(source: Path, target: Path, edits: list[dict], profile: Path) -> Path:
    """Set cells ({sheet, cell, value}) through LibreOffice's own API and save as XLSX."""
    _require(SOFFICE, SYSTEM_PYTHON)
    run = subprocess.run(
        [SYSTEM_PYTHON, "-c", UNO_EDIT, SOFFICE, str(profile), str(source), str(target), json.dumps(edits)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert run.returncode == 0 and target.exists(), run.stdout + run.stderr
    return target
