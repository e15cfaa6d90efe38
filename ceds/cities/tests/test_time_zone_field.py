"""A city's time zone: an IANA name checked through zoneinfo, edited with the profile (page and API)."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.exceptions import ValidationError

from ceds.cities.models import City
from ceds.cities.timezones import validate_timezone
from ceds.core.models import AuditEvent

PROFILE = {"population_band": "over_5m", "budget_band": "large", "ict_staff": "90", "internet_penetration": "97"}


def test_only_iana_names_are_accepted():
    validate_timezone("America/Asuncion")
    with pytest.raises(ValidationError):
        validate_timezone("Mars/Olympus")
    with pytest.raises(ValidationError):
        validate_timezone("KST")


def test_every_demo_city_has_a_real_zone():
    entries = yaml.safe_load((Path(settings.BASE_DIR) / "content/demo/cities.yaml").read_text())
    entries = entries["cities"] if isinstance(entries, dict) else entries
    zones = {entry["slug"]: entry.get("timezone") for entry in entries}
    for zone in zones.values():
        validate_timezone(zone)
    assert zones["seoul"] == "Asia/Seoul" and zones["asuncion"] == "America/Asuncion"


def test_coordinator_sets_the_zone_in_the_profile_form(world, client_for):
    coordinator = client_for(world["a_coordinator"])
    url = f"/cities/{world.city_a.slug}/profile/"
    assert coordinator.get(url).context["form"]["timezone"].value() == "Asia/Seoul"
    bad = coordinator.post(url, {**PROFILE, "timezone": "Mars/Olympus"})
    assert bad.status_code == 200 and "timezone" in bad.context["form"].errors
    assert City.objects.get(pk=world.city_a.pk).timezone == "Asia/Seoul", "nothing saved"
    assert coordinator.post(url, {**PROFILE, "timezone": "Asia/Tokyo"}).status_code == 302
    assert City.objects.get(pk=world.city_a.pk).timezone == "Asia/Tokyo"
    event = AuditEvent.objects.filter(action="profile.update").latest("pk")
    assert event.changes["timezone"] == ["Asia/Seoul", "Asia/Tokyo"]


def test_api_reads_and_writes_the_zone(world, client_for):
    from ceds.api.tokens import create_token

    _token, secret = create_token(world["a_coordinator"], "tz")
    from django.test import Client

    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    url = f"/api/v1/cities/{world.city_a.slug}/profile/"
    body = {"population_band": "over_5m", "budget_band": "large", "ict_staff": 90}
    bad = api.put(url, {**body, "timezone": "Nowhere/Land"}, content_type="application/json")
    assert bad.status_code == 400 and "timezone" in bad.content.decode()
    response = api.put(url, {**body, "timezone": "America/Asuncion"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["timezone"] == "America/Asuncion"
    # Left out: unchanged.
    assert api.put(url, body, content_type="application/json").json()["timezone"] == "America/Asuncion"
    assert api.get(f"/api/v1/cities/{world.city_a.slug}/").json()["timezone"] == "America/Asuncion"
