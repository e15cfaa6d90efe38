"""The worked priority example of docs/methodology.md section 7, computed from the real content.

If the content changes the figures, this test fails and prints the block to paste.
"""

import math
from pathlib import Path

from django.conf import settings

from ceds.content.reader import read_content
from ceds.solutions import planning

START, END = "<!-- priority-example -->", "<!-- /priority-example -->"


def example_block() -> str:
    bundle = read_content(Path(settings.CONTENT_DIR))
    definition = bundle.framework("ceds", 2).engine_definition()
    modules = {m.id: m.model_dump(mode="json") for m in bundle.modules}
    figures = {"item:GM-15": {"level": 2}, "item:LIF-001": {"level": 1}}
    sections = {code: section for code, (section, _item) in planning.item_sections(definition).items()}
    targets = {sections["GM-15"]: 3, sections["LIF-001"]: 4}
    found = {g.code: g for g in planning.gaps(definition, figures, targets, modules) if g.code in ("GM-15", "LIF-001")}
    report, certificates = found["GM-15"], found["LIF-001"]
    n = len(modules)
    lines = [
        START,
        f"- GM-15 (reporting digital progress to the council) at level {report.current}, target "
        f"{report.target}: gap {report.gap}, weight {report.weight:g}. The CIO-office module that closes it "
        f"has {report.dependants} of the library's {n} modules building on it: foundation = 1 + "
        f"ln(1 + {report.dependants}) / ln({n}) = {report.foundation:.2f}; priority = "
        f"{report.weight:g} × {report.gap} × {report.foundation:.2f} = {report.priority:.2f}.",
        f"- LIF-001 (civil certificates online) at level {certificates.current}, target {certificates.target}: "
        f"gap {certificates.gap}, weight {certificates.weight:g}. Nothing builds on the certificates module: "
        f"foundation {certificates.foundation:.2f}; priority = {certificates.weight:g} × {certificates.gap} × "
        f"{certificates.foundation:.2f} = {certificates.priority:.2f}.",
        f"- Under the version-1 formula (1 + dependants, unbounded) GM-15 would have scored "
        f"{report.weight * report.gap * (1 + report.dependants):g} against {certificates.weight * certificates.gap:g}.",
        END,
    ]
    assert math.isclose(report.foundation, 1 + math.log1p(report.dependants) / math.log(n))
    return "\n".join(lines)


def test_the_worked_priority_example_matches_the_content():
    text = (Path(settings.BASE_DIR) / "docs" / "methodology.md").read_text(encoding="utf-8")
    block = example_block()
    shown = text[text.index(START) : text.index(END) + len(END)] if START in text else ""
    assert shown == block, "docs/methodology.md section 7 is out of date; paste:\n" + block
    report, certificates = [line for line in block.splitlines() if line.startswith("- ")][:2]
    assert float(report.rsplit("= ", 1)[1].rstrip(".")) < float(certificates.rsplit("= ", 1)[1].rstrip("."))
