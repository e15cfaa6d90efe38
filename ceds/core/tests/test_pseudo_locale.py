"""No unmarked English: the main pages rendered in a pseudo-locale show no interface text
that escaped translation.

The pseudo-locale (Esperanto's code, which no catalogue of ours uses) turns every
translated string into accented look-alikes ("Save" -> "Šàvé"), keeping placeholders and
markup. Whatever plain English remains on a page is either data (city and person names,
content text shown in English as a fallback, codes) or a string nobody marked.
"""

import io
import re
from html.parser import HTMLParser

import pytest
from django.core.management import call_command
from django.utils.translation import trans_real

PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
LOOK_ALIKE = "àƀçđéƒĝĥíĵķĺɱñóƥʠŕšţúʋŵхýžÀƁÇĐÉƑĜĤÍĴĶĹṀÑÓƤɊŔŠŢÚƲŴХÝŽ"
KEEP = re.compile(r"(%\([^)]*\)[sdfi]|%[sdfi]|\{[^}]*\}|<[^>]+>|&[#a-zA-Z0-9]+;)")
TABLE = str.maketrans(PLAIN, LOOK_ALIKE)


def pseudo(message: str) -> str:
    return "".join(part if KEEP.fullmatch(part) else part.translate(TABLE) for part in KEEP.split(message))


class PseudoTranslation:
    """Stands in for Django's catalogue of one language."""

    def gettext(self, message):
        if "\x04" in message:  # pgettext: context \x04 message
            return pseudo(message.split("\x04", 1)[1])
        return pseudo(message)

    def ngettext(self, singular, plural, n):
        return self.gettext(singular if n == 1 else plural)

    def to_language(self):
        return "eo"

    def language(self):
        return "eo"


# Words that are the same in every language: names of things, codes and units.
UNTRANSLATED = {
    "CeDS",
    "WeGO",
    "PDF",
    "CSV",
    "XLSX",
    "JSON",
    "API",
    "URL",
    "ISO",
    "EN",
    "KB",
    "MB",
    "USD",
    "TOTP",
    "GeoNames",
    # Reference indices' codes, as their publisher (the UN) writes them in every language.
    "EGDI",
    "LOSI",
}


class TextCollector(HTMLParser):
    """Visible text and the attributes people hear or see (title, alt, aria-label, placeholder)."""

    SKIP = {"script", "style", "code", "pre", "svg"}

    def __init__(self):
        super().__init__()
        self.chunks, self.skipping, self.stack = [], 0, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        # Text in another language is marked with its lang: content shown in English as a
        # fallback, each language named in itself in the switchers.
        skip = tag in self.SKIP or attrs.get("lang", "eo") != "eo" or attrs.get("translate") == "no"
        if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"):
            self.stack.append(skip)
            self.skipping += skip
        if not self.skipping:
            for name in ("title", "alt", "aria-label", "placeholder"):
                if attrs.get(name):
                    self.chunks.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in ("br", "img", "input", "meta", "link", "hr", "source", "col", "wbr"):
            return
        if self.stack:
            self.skipping -= self.stack.pop()

    def handle_data(self, data):
        if not self.skipping and data.strip():
            self.chunks.append(data.strip())


def _walk_strings(node, strings: set[str]) -> None:
    """Every English text in a content tree: language maps' "en" and plain strings longer than two."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            strings.add(node["en"])
        for value in node.values():
            _walk_strings(value, strings)
    elif isinstance(node, list):
        for value in node:
            _walk_strings(value, strings)
    elif isinstance(node, str) and len(node) > 2:
        strings.add(node)


def _data_strings() -> list[str]:
    """English text that is data, not interface: content, names, places."""
    from ceds.accounts.models import User
    from ceds.cities.models import City, Country, Region
    from ceds.frameworks.models import FrameworkVersion
    from ceds.solutions.models import Module, Practice

    strings: set[str] = set()

    def walk(node):
        _walk_strings(node, strings)

    for version in FrameworkVersion.objects.all():
        walk(version.definition)
        walk(version.title)
    for model in (Module, Practice):
        for obj in model.objects.all():
            walk(obj.title)
            walk(obj.data)
    for city in City.objects.all():
        strings.update([city.name, city.slug, city.timezone])  # an IANA zone name is data
    from ceds.api.models import OpenDataLicence
    from ceds.cities.countries import country_name

    strings.add(OpenDataLicence.current().attribution)
    from django.utils import translation

    with translation.override("eo"):
        for code, name in Country.objects.values_list("code", "name_en"):
            strings.update([name, country_name(code, name)])
    for region in Region.objects.all():
        walk(region.names)
    for user in User.objects.all():
        strings.update([user.first_name, user.last_name, user.email, user.get_full_name()])
    return sorted((s for s in strings if s), key=len, reverse=True)


def unmarked_english(html: str, data: list[str]) -> list[str]:
    collector = TextCollector()
    collector.feed(html)
    found = []
    for chunk in collector.chunks:
        for text in data:
            if text in chunk:
                chunk = chunk.replace(text, " ")
        words = [w for w in re.findall(r"[A-Za-z][A-Za-z'’]{2,}", chunk) if w not in UNTRANSLATED]
        if words:
            found.append(chunk[:120])
    return found


@pytest.fixture
def pseudo_locale(settings):
    # Changing LANGUAGES resets Django's translation caches, so the stand-in goes in after.
    settings.LANGUAGES = [*settings.LANGUAGES, ("eo", pseudo("Pseudo"))]
    trans_real._translations["eo"] = PseudoTranslation()
    yield
    trans_real._translations.pop("eo", None)


@pytest.fixture
def pages_world(world):
    from ceds.api.tests.fixtures import FULL, fill, validated
    from ceds.content.tests.helpers import FIXTURE
    from ceds.frameworks.models import FrameworkVersion

    call_command("load_content", content=str(FIXTURE), stdout=io.StringIO())
    world.extra = {"version": FrameworkVersion.objects.get(framework_id="kinds")}
    done = validated(world, "2025", sharing="named")
    from ceds.assessments import services as workflow

    draft = workflow.open_assessment(world["a_coordinator"], world.city_a, world.extra["version"], "2026")
    fill(world, draft, dict(list(FULL.items())[:3]))
    world.extra.update(done=done, draft=draft)
    # The dashboard's national context, with an earlier edition and a city-level index (made-up values).
    from ceds.indices.importer import import_index

    for year, rank in ((2022, 5), (2024, 4)):
        import_index(
            None, f"Country Name,E-Government Rank,EGDI,OSI\nRepublic of Korea,{rank},0.9,0.8\n".encode(), "egdi", year
        )
    import_index(
        None, b"City,Country,LOSI Group,Rank,LOSI 2024,IF\nSeoul,Republic of Korea,Very High,2,0.9,0.95\n", "losi", None
    )
    return world


def _pages(world):
    done, draft = world.extra["done"].pk, world.extra["draft"].pk
    coordinator = [
        "/",
        "/me/",
        "/me/api-tokens/",
        "/cities/",
        "/cities/seoul/",
        "/cities/seoul/assessments/",
        f"/assessments/{draft}/",
        f"/assessments/{draft}/sections/GV/",
        f"/assessments/{draft}/sections/SV/",
        f"/assessments/{draft}/items/GV-01/history/",
        f"/assessments/{done}/dashboard/",
        f"/assessments/{done}/services/",
        f"/assessments/{done}/explain/overall/",
        f"/assessments/{done}/benchmark/",
        f"/assessments/{done}/history/",
        f"/assessments/{done}/plan/",
        f"/assessments/{done}/actions/",
        f"/assessments/{done}/report/",
        "/modules/",
        "/modules/strategy/",
        "/practices/",
        "/map/",
        "/rankings/",
        "/public/cities/seoul/",
        f"/assessments/{done}/compare/{done}/",
        "/open-data/",
    ]
    secretariat = ["/audit/", "/indices/", "/practices/review/"]
    return [("a_coordinator", url) for url in coordinator] + [("secretariat", url) for url in secretariat]


def test_main_pages_have_no_unmarked_english(pseudo_locale, pages_world, client_for):
    data = _data_strings()
    problems = {}
    for persona, url in _pages(pages_world):
        response = client_for(pages_world[persona]).get(url, HTTP_ACCEPT_LANGUAGE="eo")
        assert response.status_code == 200, url
        assert 'lang="eo"' in response.content.decode(), url
        found = unmarked_english(response.content.decode(), data)
        if found:
            problems[url] = found
    assert not problems, "\n".join(f"{url}: {found}" for url, found in problems.items())


def test_the_checker_finds_an_unmarked_string():
    assert unmarked_english("<p>Šàvé</p><p>Save draft</p>", []) == ["Save draft"]
    assert unmarked_english('<p lang="en">Save draft</p><p title="Close">x</p>', []) == ["Close"]
