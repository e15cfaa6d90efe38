from functools import lru_cache
from urllib.parse import quote

from django import template
from django.urls import get_script_prefix, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ceds.core.i18n import is_fallback, localized

register = template.Library()


@register.filter
def loc(texts) -> str:
    """Content text in the active language, else English."""
    return localized(texts)


@register.filter
def loc_html(texts):
    """Content text for element content: English shown as a fallback carries lang and dir,
    so screen readers pronounce it as English and right-to-left pages keep its punctuation."""
    text = localized(texts)
    if is_fallback(texts) and texts:
        return format_html('<span lang="en" dir="ltr">{}</span>', text)
    return text


@register.simple_tag
def loc_marked(texts):
    """Content text; when shown in English as a fallback, marked as such (lang attribute + note)."""
    if is_fallback(texts) and texts:
        return format_html(
            '{} <span class="fallback" title="{}">EN</span>', loc_html(texts), _("Not yet translated; shown in English")
        )
    return localized(texts)


@register.filter
def get(mapping, key):
    """mapping[key] in a template, trying the key as given and as a string."""
    if not mapping:
        return None
    if key in mapping:
        return mapping[key]
    return mapping.get(str(key))


@register.filter
def score(value) -> str:
    """A score to one decimal in the reader's number format (73.9, 73,9), or an en dash."""
    from django.utils.formats import get_format, number_format

    if value is None:
        return "–"
    if abs(value) >= 1000:  # digit grouping may apply: leave it to Django
        # Rounded first: number_format cuts extra decimals rather than rounding them.
        return number_format(float(f"{value:.1f}"), 1)
    # Below 1000 only the decimal mark differs between languages; pages print hundreds of
    # scores, and this is a tenth of number_format's cost.
    separator = get_format("DECIMAL_SEPARATOR")
    text = f"{value:.1f}"
    return text if separator == "." else text.replace(".", separator)


@lru_cache(maxsize=4096)
def _explain_prefix(assessment_pk: int, script_prefix: str) -> tuple[str, str]:
    marker = "overall"
    url = reverse("explain", args=[assessment_pk, marker])
    at = url.rindex(marker)
    return url[:at], url[at + len(marker) :]


@register.filter
def explain_url(key: str, assessment_pk: int) -> str:
    """The page explaining a figure: {% url 'explain' pk key %} from one reverse() per assessment.

    A dashboard links every figure it shows; figure keys are plain path text (letters,
    digits, ':', '/', '-'), so the URL is the same prefix each time.
    """
    before, after = _explain_prefix(assessment_pk, get_script_prefix())
    return f"{before}{quote(key, safe=':/')}{after}"
