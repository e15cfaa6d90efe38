"""The golden city's answers and reading the text of a rendered report."""

import subprocess
from pathlib import Path


def pdf_text(pdf: bytes, tmp_path, name="r.pdf", *args) -> str:
    path = tmp_path / name
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", *args, str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


GOLDEN = Path(__file__).resolve().parents[2] / "assessments" / "tests" / "fixtures" / "golden_city.yaml"
