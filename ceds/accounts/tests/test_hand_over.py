"""A coordinator hands the role over: to a colleague at once, or to someone invited on acceptance."""

import re

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from ceds.accounts import services
from ceds.accounts.models import CityRole, User
from ceds.cities.models import Membership
from ceds.cities.staffing import cities_without_coordinator
from ceds.core.models import AuditEvent
from conftest import PASSWORD


def _role(world, persona):
    return CityRole.objects.filter(user=world[persona], city=world.city_a).values_list("role", flat=True).first()


def test_coordinator_hands_over_to_a_colleague_and_stays_contributor(
    world, client_for, django_capture_on_commit_callbacks
):
    coordinator = client_for(world["a_coordinator"])
    page = coordinator.get(f"/cities/{world.city_a.slug}/hand-over/")
    assert page.status_code == 200
    # Only the city's other members are offered.
    offered = {user.pk for user in page.context["form"].fields["colleague"].queryset}
    assert offered == {world["a_contributor"].pk, world["a_viewer"].pk}
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator.post(
            f"/cities/{world.city_a.slug}/hand-over/", {"colleague": world["a_viewer"].pk, "keep_as": "contributor"}
        )
    assert response.status_code == 302
    assert _role(world, "a_viewer") == "coordinator"
    assert _role(world, "a_coordinator") == "contributor"
    event = AuditEvent.objects.get(action="role.hand_over")
    assert event.actor == world["a_coordinator"] and event.city == world.city_a
    assert AuditEvent.objects.filter(action="role.step_down", city=world.city_a).exists()
    assert [m.to for m in mail.outbox] == [[world["a_viewer"].email]]
    # The former coordinator can no longer hand over.
    assert client_for(world["a_coordinator"]).get(f"/cities/{world.city_a.slug}/hand-over/").status_code == 403


def test_hand_over_refuses_outsiders_and_bad_choices(world):
    with pytest.raises(PermissionDenied):
        services.hand_over(world["a_contributor"], world.city_a, colleague=world["a_viewer"])
    with pytest.raises(ValidationError) as error:
        services.hand_over(world["a_coordinator"], world.city_a, colleague=world["b_viewer"])
    assert error.value.code == "colleague"
    with pytest.raises(ValidationError):
        services.hand_over(world["a_coordinator"], world.city_a, colleague=world["a_viewer"], email="x@example.org")
    with pytest.raises(ValidationError) as error:
        services.hand_over(world["a_coordinator"], world.city_a, email=world["a_viewer"].email)
    assert error.value.code == "email"
    assert _role(world, "a_coordinator") == "coordinator", "nothing changed"


def test_hand_over_by_invitation_completes_on_acceptance(world, client_for, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world["a_coordinator"]).post(
            f"/cities/{world.city_a.slug}/hand-over/", {"email": "Successor@Example.org", "keep_as": ""}
        )
    assert response.status_code == 302
    # Until the invitation is accepted the city keeps its coordinator.
    assert _role(world, "a_coordinator") == "coordinator"
    token = re.search(r"/invitations/(\S+)/", mail.outbox[0].body).group(1)
    client_for(None).post(f"/invitations/{token}/", {"first_name": "Min", "last_name": "Lee", "password": PASSWORD})
    successor = User.objects.get(email="successor@example.org")
    assert CityRole.objects.get(user=successor, city=world.city_a).role == "coordinator"
    assert _role(world, "a_coordinator") is None, "left the city as chosen"


def test_cities_without_coordinator_for_secretariat_and_regional_office(world, client_for):
    assert list(cities_without_coordinator(world["secretariat"])) == []
    CityRole.objects.filter(city=world.city_a, role="coordinator").delete()
    # A deactivated coordinator counts as none.
    User.objects.filter(pk=world["b_coordinator"].pk).update(is_active=False)
    assert [c.slug for c in cities_without_coordinator(world["secretariat"])] == ["barcelona", "seoul"]
    assert [c.slug for c in cities_without_coordinator(world["regional"])] == ["seoul"]
    assert list(cities_without_coordinator(world["a_contributor"])) == []
    assert list(cities_without_coordinator(world["outsider"])) == []
    # A city whose membership ended needs nobody.
    Membership.objects.filter(city=world.city_b).update(status=Membership.Status.ENDED)
    assert [c.slug for c in cities_without_coordinator(world["secretariat"])] == ["seoul"]

    page = client_for(world["regional"]).get("/cities/").content.decode()
    assert "1 city has no active coordinator" in page and "No coordinator" in page
    assert "no active coordinator" not in client_for(world["a_contributor"]).get("/cities/").content.decode()
    detail = client_for(world["secretariat"]).get(f"/cities/{world.city_a.slug}/").content.decode()
    assert "This city has no active coordinator." in detail and "Appoint a coordinator" in detail


def test_secretariat_admin_appoints_a_coordinator(world):
    CityRole.objects.filter(city=world.city_a, role="coordinator").delete()
    services.hand_over(world["secretariat"], world.city_a, colleague=world["a_contributor"])
    assert _role(world, "a_contributor") == "coordinator"
    assert list(cities_without_coordinator(world["secretariat"])) == []


def test_the_admin_city_list_flags_cities_without_coordinator(world, client_for):
    CityRole.objects.filter(city=world.city_a, role="coordinator").delete()
    world["secretariat"].is_staff = world["secretariat"].is_superuser = True
    world["secretariat"].save()
    page = client_for(world["secretariat"]).get("/admin/cities/city/")
    assert page.status_code == 200
    flags = {city.slug: city.has_coordinator for city in page.context["cl"].result_list}
    assert flags == {"seoul": False, "barcelona": True}
