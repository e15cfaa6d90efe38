"""The site's header: each reader's navigation, this request's token and path, the reader's language."""

import re

from django.test import Client


def _signed_in(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def test_each_reader_gets_their_navigation(world, client):
    anonymous = client.get("/map/").content.decode()
    assert "Sign in" in anonymous and "Sign out" not in anonymous and "Audit log" not in anonymous
    coordinator = _signed_in(world["a_coordinator"]).get("/map/").content.decode()
    assert "Sign out" in coordinator and "My account" in coordinator and "Audit log" not in coordinator
    secretariat = _signed_in(world["secretariat"]).get("/map/").content.decode()
    assert "Audit log" in secretariat and "Indices" in secretariat


def test_the_header_carries_this_request_s_token_and_path(world):
    client = _signed_in(world["a_coordinator"])
    page = client.get("/map/?framework=ceds&region=europe").content.decode()
    assert "\ue000" not in page, "no mark is left"
    assert 'name="next" value="/map/?framework=ceds&amp;region=europe"' in page
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    switched = client.post("/language/", {"language": "fr", "next": "/map/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302, "the token in the header is this session's"
    french = client.get("/map/").content.decode()
    assert "Se déconnecter" in french and 'lang="fr"' in french, "each language has its own header"
