"""Country names in the user's language, from the ISO 3166 translations pycountry ships."""

import gettext
from functools import lru_cache

import pycountry

from ceds.core.i18n import content_language

# pycountry's catalogue names differ from our content codes for Chinese.
_CATALOGUE = {"zh": "zh_CN"}


@lru_cache(maxsize=16)
def _catalogue(language: str) -> gettext.NullTranslations:
    try:
        return gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[_CATALOGUE.get(language, language)])
    except OSError:
        return gettext.NullTranslations()


# WeGO and its member cities name Taipei's and New Taipei's country "Chinese Taipei" in every
# language (the ISO 3166 catalogues say "Taiwan, Province of China" outside English); the
# accepted form in each interface language.
CHINESE_TAIPEI = {
    "en": "Chinese Taipei",
    "ko": "차이니스 타이베이",
    "es": "Taipéi Chino",
    "ru": "Китайский Тайбэй",
    "zh": "中华台北",
    "ar": "تايبيه الصينية",
    "fr": "Taipei chinois",
}
DISPLAY_NAMES = {"TW": CHINESE_TAIPEI}


def country_name(code: str, english_name: str) -> str:
    language = content_language()
    if code in DISPLAY_NAMES:
        names = DISPLAY_NAMES[code]
        return names.get(language, names["en"])
    if language == "en":
        return english_name
    country = pycountry.countries.get(alpha_2=code)
    source = country.name if country else english_name
    return _catalogue(language).gettext(source)


def country_display(code: str) -> str:
    """A country's name in the user's language from its code alone (e.g. a practice's country)."""
    country = pycountry.countries.get(alpha_2=code)
    return country_name(code, country.name) if country else code
