"""The audit of the fixture portals: expected vs proposed for every checked item, with evidence.

Drives Debian's chromium (marker `browser`); the hostile fixtures are in test_hostile_sites.py.
"""

import json

import pytest
from django.core.management import call_command

from ceds.audit.models import AuditRun, Proposal

pytestmark = pytest.mark.browser

ARGS = ["--allow-loopback", "--json", "--delay", "0", "--max-pages", "8", "--max-seconds", "40"]

#           item      check            good   poor
TABLE = [
    ("PRIV-01", "privacy_policy", True, False),
    ("PRIV-07", "https", False, False),  # fixtures are plain http on loopback
    ("USAB-01", "mobile_viewport", True, False),
    ("USAB-02", "site_search", True, False),
    ("USAB-03", "contact", True, False),
    ("USAB-07", "accessibility", True, False),
    ("USAB-11", "languages", True, False),
    ("USAB-13", "broken_links", True, False),
    ("USAB-14", "page_weight", True, True),
    ("USAB-16", "last_updated", True, False),
    ("CONT-11", "open_data", True, False),
    ("PART-01", "online_form", True, False),
]
ANSWERS = {"CONT-11": ({"value": 1}, {"value": 0})}


def _audit(site, capsys):
    call_command("audit_portal", "seoul", "--url", site.url, *ARGS)
    return [json.loads(line) for line in capsys.readouterr().out.splitlines()]


@pytest.mark.parametrize("fixture", ["good", "poor"])
def test_every_checked_item_is_proposed_as_expected(fixture, open_website, sites, capsys):
    site = sites[fixture]
    lines = {line["item"]: line for line in _audit(site, capsys)}
    run = AuditRun.objects.get()
    assert run.status == "done" and run.assessment == open_website
    column = 2 if fixture == "good" else 3
    expected = {row[0]: (row[1], row[column]) for row in TABLE}
    proposed = {p.item_code: (p.check_name, p.present) for p in Proposal.objects.filter(run=run)}
    mismatches = {
        code: (expected[code], proposed.get(code)) for code in expected if proposed.get(code) != expected[code]
    }
    assert not mismatches, f"expected vs proposed on {fixture}: {mismatches}"
    assert set(lines) == set(expected)
    for code, (check, present) in expected.items():
        answer = ANSWERS.get(code, ({"value": True}, {"value": False}))[0 if present else 1]
        proposal = Proposal.objects.get(run=run, item_code=code)
        assert proposal.answer == (answer if code == "CONT-11" else {"value": present}), code
        assert lines[code]["check"] == check
        assert proposal.evidence_url.startswith(site.url), code
    # Values of the measuring checks, and evidence the city can look at.
    if fixture == "good":
        assert lines["USAB-11"]["proposed"] == 3
        assert lines["PRIV-01"]["evidence_url"] == site.url + "privacy"
        assert "info@exampleton.example" in lines["USAB-03"]["found"]
        assert lines["USAB-13"]["proposed"] == []
        assert Proposal.objects.get(run=run, item_code="PRIV-01").screenshot
    else:
        assert lines["USAB-11"]["proposed"] == 1
        assert sorted(lines["USAB-13"]["proposed"]) == [site.url + "missing-1", site.url + "missing-2"]
        axe = lines["USAB-07"]["proposed"]
        assert axe["critical"] >= 1 and axe["serious"] >= 1  # image-alt, color-contrast
        assert any(v["id"] == "image-alt" for v in Proposal.objects.get(run=run, item_code="USAB-07").details)
    assert "User-agent" not in "".join(site.hits)  # the site saw only paths
