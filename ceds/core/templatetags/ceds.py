from django import template
from django.utils.formats import get_format, number_format
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ceds.core.i18n import is_fallback, localized
from ceds.core.models import Notification

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


@register.simple_tag
def unread_count(user) -> int:
    """The reader's unread notices, counted for the header's link on every page they see."""
    return Notification.objects.filter(user=user, read_at__isnull=True).count()
