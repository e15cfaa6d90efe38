from django.core.files.uploadedfile import SimpleUploadedFile

from ceds.solutions.models import Practice
from ceds.solutions.tests.helpers import CASE


def test_share_review_and_publish_a_city_case(world, kinds, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    coordinator, secretariat = client_for(world["a_coordinator"]), client_for(world["analyst"])
    response = coordinator.post("/practices/new/", {**CASE, "attachment": SimpleUploadedFile("c.pdf", b"%PDF-1.4 x")})
    assert response.status_code == 302
    practice = Practice.objects.get(origin="city")
    assert (practice.status, practice.city, practice.data["sections"]) == ("submitted", world.city_a, ["GV", "SV"])
    assert "One-stop" not in client_for(None).get("/practices/").content.decode(), "not public before review"

    refused = secretariat.post("/practices/review/", {"practice": practice.pk, "action": "changes"}, follow=True)
    assert "say what to change" in refused.content.decode()
    secretariat.post(
        "/practices/review/", {"practice": practice.pk, "action": "changes", "note": "Add the year of the figures."}
    )
    practice.refresh_from_db()
    assert practice.status == "changes_requested"
    coordinator.post(f"/practices/{practice.pk}/edit/", {**CASE, "results": "In 2024 waiting fell to ten minutes."})
    practice.refresh_from_db()
    assert practice.status == "submitted" and "In 2024" in practice.data["results"]["en"]
    secretariat.post("/practices/review/", {"practice": practice.pk, "action": "publish"})
    public = client_for(None).get("/practices/").content.decode()
    assert "One-stop civil registry kiosk" in public and "Shared by Seoul" in public
    download = client_for(None).get(f"/practices/{practice.pk}/attachment/")
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    download.close()


def test_only_city_coordinators_share_and_only_the_secretariat_reviews(world, client_for):
    assert client_for(world["a_viewer"]).get("/practices/new/").status_code == 403
    assert client_for(world["a_coordinator"]).get("/practices/review/").status_code == 403


def test_disguised_attachment_is_refused(world, kinds, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    response = client_for(world["a_coordinator"]).post(
        "/practices/new/", {**CASE, "attachment": SimpleUploadedFile("c.pdf", b"MZ\x90\x00" + b"\x00" * 40)}
    )
    assert response.status_code == 200 and "executable" in str(response.context["form"].errors)
    assert not Practice.objects.filter(origin="city").exists()


def test_reloading_content_keeps_city_cases(world, kinds, client_for):
    import io

    from django.core.management import call_command

    from ceds.content.tests.helpers import FIXTURE

    client_for(world["a_coordinator"]).post("/practices/new/", CASE)
    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    assert Practice.objects.filter(origin="city").count() == 1


def test_the_sections_a_case_may_illustrate_are_the_contents(world, kinds, client_for):
    from ceds.solutions.forms import PracticeForm

    assert PracticeForm().fields["sections"].choices == [("GV", "Governance"), ("SV", "Services")]
    refused = client_for(world["a_coordinator"]).post("/practices/new/", {**CASE, "sections": ["GM"]})
    assert refused.status_code == 200 and "sections" in refused.context["form"].errors
    assert not Practice.objects.filter(origin="city").exists()
