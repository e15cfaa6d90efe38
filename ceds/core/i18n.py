"""Helpers for content that carries its own translations ({"en": ..., "ko": ...})."""

from django.conf import settings
from django.utils import translation


def content_language(language: str | None = None) -> str:
    """The content-file language code for a Django language code (zh-hans -> zh)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).lower()
    return settings.CONTENT_LANGUAGE.get(code, code.split("-")[0])


def localized(texts: dict | None, language: str | None = None, fallback: bool = True) -> str:
    """The text in the active language, else English (or "" when fallback is off)."""
    if not texts:
        return ""
    text = texts.get(content_language(language))
    if text:
        return text
    return texts.get("en", "") if fallback else ""


def is_fallback(texts: dict | None, language: str | None = None) -> bool:
    """True when the active language has no text of its own and English is shown instead."""
    return bool(texts) and not texts.get(content_language(language))
