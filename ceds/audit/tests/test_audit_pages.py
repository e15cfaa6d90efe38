"""Proposals in the assessment, accept / dispute / accept a section, re-audit differences and the
LOSI-style estimate, without a browser: the crawl result is built by hand."""

import pytest
from django.urls import reverse

from ceds.assessments.models import Answer, Evidence
from ceds.audit import services
from ceds.audit.estimate import losi_estimate
from ceds.audit.models import AuditRun, Proposal
from ceds.audit.tests.factories import crawl_result
from ceds.cities.models import City


@pytest.fixture
def audited(open_website, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    City.objects.filter(pk=world.city_a.pk).update(portal_url="https://portal.example/")
    world.city_a.refresh_from_db()
    run = services.create_run(world["a_coordinator"], world.city_a)
    services.store(run, crawl_result())
    return run


def test_store_proposes_every_checked_item_with_evidence(audited, open_website):
    proposals = {p.item_code: p for p in audited.proposals.all()}
    assert len(proposals) == 12
    assert proposals["PRIV-01"].present and proposals["PRIV-01"].evidence_url == "https://portal.example/privacy"
    assert proposals["USAB-11"].observed == 2 and proposals["USAB-11"].answer == {"value": True}
    assert proposals["CONT-11"].answer == {"value": 1}
    assert proposals["PART-01"].evidence_url == "https://portal.example/contact"
    assert all(p.screenshot for code, p in proposals.items() if code != "USAB-13")
    assert audited.assessment == open_website


def test_section_page_shows_the_finding_beside_the_item(audited, open_website, world, client_for):
    page = client_for(world["a_coordinator"]).get(reverse("assessments:section", args=[open_website.pk, "PRIV"]))
    body = page.content.decode()
    assert "The audit found a privacy policy linked from the home page at https://portal.example/privacy" in body
    assert reverse("audit:accept_section", args=[open_website.pk, "PRIV"]) in body
    # A viewer sees the findings but cannot decide.
    viewer = client_for(world["a_viewer"]).get(reverse("assessments:section", args=[open_website.pk, "PRIV"]))
    assert "privacy policy linked" in viewer.content.decode() and 'value="accept"' not in viewer.content.decode()


def test_accept_makes_an_answer_with_evidence_named_in_history(audited, open_website, world, client_for):
    proposal = audited.proposals.get(item_code="PRIV-01")
    client = client_for(world["a_coordinator"])
    response = client.post(reverse("audit:decide", args=[proposal.pk]), {"action": "accept"})
    assert response.status_code == 302
    answer = Answer.objects.get(assessment=open_website, item__code="PRIV-01")
    assert answer.value == {"value": True}
    evidence = Evidence.objects.filter(assessment=open_website, item__code="PRIV-01")
    assert {e.url for e in evidence} == {"https://portal.example/privacy", ""}
    assert any(e.file and e.content_type == "image/jpeg" for e in evidence)
    history = client.get(reverse("assessments:history", args=[open_website.pk, "PRIV-01"])).content.decode()
    assert "from the portal audit of" in history
    # A validator sees that the answer came from the audit.
    section = client_for(world["regional"]).get(reverse("assessments:section", args=[open_website.pk, "PRIV"]))
    assert "the answer came from the audit" in section.content.decode()


def test_dispute_keeps_the_answer_open(audited, open_website, world, client_for):
    proposal = audited.proposals.get(item_code="PRIV-07")
    client_for(world["a_coordinator"]).post(reverse("audit:decide", args=[proposal.pk]), {"action": "dispute"})
    proposal.refresh_from_db()
    assert proposal.state == Proposal.State.DISPUTED
    assert not Answer.objects.filter(assessment=open_website, item__code="PRIV-07").exists()


def test_accept_a_section_at_once_all_or_nothing(audited, open_website, world, client_for):
    usab = audited.proposals.filter(section_code="USAB")
    client_for(world["a_coordinator"]).post(reverse("audit:accept_section", args=[open_website.pk, "USAB"]))
    assert Answer.objects.filter(assessment=open_website, item__section__code="USAB").count() == usab.count() == 8
    assert not audited.proposals.filter(section_code="PRIV", state="accepted").exists()


def test_contributor_without_the_section_and_other_cities_cannot_decide(audited, world, client_for):
    proposal = audited.proposals.get(item_code="PRIV-01")
    url = reverse("audit:decide", args=[proposal.pk])
    assert client_for(world["a_contributor"]).post(url, {"action": "accept"}).status_code == 403
    assert client_for(world["b_coordinator"]).post(url, {"action": "accept"}).status_code == 404
    assert client_for(world["b_coordinator"]).get(reverse("audit:screenshot", args=[proposal.pk])).status_code == 404
    assert not Answer.objects.exists()


def test_re_audit_shows_the_difference(audited, world, client_for):
    AuditRun.objects.filter(pk=audited.pk).update(created_at=audited.created_at.replace(year=2025))
    second = services.create_run(world["a_coordinator"], world.city_a)
    services.store(second, crawl_result(good=False))
    changes = services.difference(second, services.previous_finished(second))
    assert {c["proposal"].item_code for c in changes} >= {"PRIV-01", "USAB-13", "USAB-07"}
    page = client_for(world["a_coordinator"]).get(reverse("audit:page", args=[world.city_a.slug])).content.decode()
    assert "Changes since the previous audit" in page and "The audit found 2 broken links" in page


def test_run_from_the_page_starts_in_the_background(world, open_website, client_for, monkeypatch):
    started = []
    monkeypatch.setattr(services, "start_in_background", lambda run, limits=None: started.append(run))
    client = client_for(world["a_coordinator"])
    url = reverse("audit:run", args=[world.city_a.slug])
    response = client.post(url, follow=True)
    assert "no portal address" in response.content.decode() and not started
    City.objects.filter(pk=world.city_a.pk).update(portal_url="https://portal.example/")
    client.post(url)
    assert len(started) == 1 and started[0].status == "queued" and started[0].assessment == open_website
    assert "already running" in client.post(url, follow=True).content.decode()


def test_losi_style_estimate_rests_on_the_answers(audited, open_website, world, client_for):
    services.accept_section(world["a_coordinator"], open_website, "USAB")
    estimate = losi_estimate(open_website)
    by_id = {r["id"]: r for r in estimate["rows"]}
    assert by_id["mobile"]["state"] == "present" and by_id["search"]["state"] == "present"
    assert by_id["budget"]["state"] == "unanswered"
    # USAB-01, -02, -03 and -11 are in the crosswalk (contact, mobile, search, languages).
    assert estimate["judged"] == 4 and estimate["estimate"] == round(estimate["present"] / 4, 2)
    page = client_for(world["a_coordinator"]).get(reverse("dashboard", args=[open_website.pk])).content.decode()
    assert "LOSI-style estimate" in page and "LOSI score" not in page


def test_failed_crawl_records_the_failure(world, open_website, monkeypatch):
    City.objects.filter(pk=world.city_a.pk).update(portal_url="https://portal.example/")
    world.city_a.refresh_from_db()
    run = services.create_run(world["a_coordinator"], world.city_a)

    def broken(*args, **kwargs):
        raise RuntimeError("chromium went away")

    monkeypatch.setattr(services, "crawl", broken)
    run = services.execute(run.pk)
    assert run.status == "failed" and "chromium went away" in run.message and not run.proposals.exists()
