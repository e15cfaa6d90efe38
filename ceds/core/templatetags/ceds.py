from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from ceds.core.i18n import is_fallback, localized

register = template.Library()


@register.filter
def loc(texts) -> str:
    """Content text in the active language, else English."""
    return localized(texts)


@register.simple_tag
def loc_marked(texts):
    """Content text; when shown in English as a fallback, marked as such (lang attribute + note)."""
    text = localized(texts)
    if is_fallback(texts) and texts:
        return format_html(
            '<span lang="en">{}</span> <span class="fallback" title="{}">EN</span>',
            text,
            _("Not yet translated; shown in English"),
        )
    return text


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
    """A score shown to one decimal, or an en dash when there is none."""
    return "–" if value is None else f"{value:.1f}"
