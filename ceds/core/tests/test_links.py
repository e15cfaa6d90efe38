"""Links built from one reverse() are the links reverse() gives."""

import pytest
from django.urls import reverse

from ceds.core.links import link
from ceds.core.templatetags.ceds import explain_url


@pytest.mark.parametrize("key", ["overall", "part:A", "group:A/internal", "section:GM", "item:GM-01", "section:A-B_2"])
def test_explain_links_are_what_reverse_gives(key):
    assert explain_url(key, 42) == reverse("explain", args=[42, key])
    assert explain_url(key, 7) == reverse("explain", args=[7, key])


@pytest.mark.parametrize("slug", ["seoul", "sao-paulo", "bench-city-10000-2"])
def test_public_city_links_are_what_reverse_gives(slug):
    assert link("public_city", last=slug) == reverse("public_city", args=[slug])
