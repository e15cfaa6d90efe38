from functools import lru_cache

from django import template
from django.urls import get_script_prefix
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from ceds.core.i18n import is_fallback, localized
from ceds.core.links import link

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


@register.filter
def explain_url(key: str, assessment_pk: int) -> str:
    """The page explaining a figure, as {% url 'explain' pk key %} gives it (a dashboard links every figure)."""
    return link("explain", assessment_pk, last=key)


# The site's header and footer are the same on every page for a given language and kind of
# reader: rendered once per process (templates, URLs and catalogues do not change while it
# runs), with marks where each request's CSRF token and path go.
_CSRF_MARK, _PATH_MARK, _UNREAD_MARK = "\ue000csrf\ue000", "\ue000path\ue000", "\ue000unread\ue000"


@lru_cache(maxsize=64)
def _frame(name: str, language: str, script_prefix: str, authenticated: bool = False, secretariat: bool = False) -> str:
    from django.template.loader import render_to_string

    return render_to_string(
        name,
        {
            "authenticated": authenticated,
            "secretariat": secretariat,
            "csrf_token": _CSRF_MARK,
            "next_path": _PATH_MARK,
            "unread_mark": _UNREAD_MARK,
        },
    )


@register.simple_tag(takes_context=True)
def site_header(context):
    """The header: brand, main navigation for this reader, sign-out and the language switch."""
    from django.middleware.csrf import get_token

    request = context["request"]
    user = request.user
    html = _frame(
        "_site_header.html",
        get_language(),
        get_script_prefix(),
        user.is_authenticated,
        bool(getattr(user, "secretariat_role", "")),
    )
    html = html.replace(_CSRF_MARK, escape(get_token(request))).replace(_PATH_MARK, escape(request.get_full_path()))
    if user.is_authenticated:
        html = html.replace(_UNREAD_MARK, _unread_badge(user))
    return mark_safe(html)  # noqa: S308 — rendered with autoescape; the token, path and count are escaped here


def _unread_badge(user) -> str:
    """The reader's count of unread notices beside the header's link (nothing when none)."""
    from ceds.core.models import Notification

    count = Notification.objects.filter(user=user, read_at__isnull=True).count()
    if not count:
        return ""
    label = ngettext("%(counter)s unread", "%(counter)s unread", count) % {"counter": count}
    return str(
        format_html(
            ' <span class="badge warn"><span aria-hidden="true">{}</span><span class="visually-hidden">{}</span></span>',
            count,
            label,
        )
    )


@register.simple_tag
def site_footer():
    return mark_safe(_frame("_site_footer.html", get_language(), get_script_prefix()))  # noqa: S308 — rendered with autoescape
