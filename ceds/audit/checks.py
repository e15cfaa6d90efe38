"""The check vocabulary: what each machine check finds in a crawl (pure, no Django models).

Each check returns a Finding: `present` (the yes/no a check proposes), `value` (what it
measured: a count, a list of broken links, axe findings by impact...), the evidence URL, the
matched text and which crawled page's screenshot shows it. content/audit/checks.yaml says which
framework item each check answers; docs/content-format.md documents the vocabulary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ceds.audit.crawler import CrawlResult, Page

CHECKS = (
    "https",
    "privacy_policy",
    "contact",
    "site_search",
    "mobile_viewport",
    "open_data",
    "languages",
    "online_form",
    "broken_links",
    "accessibility",
    "page_weight",
    "last_updated",
)

# Words in the seven languages of the platform, matched in link text and addresses.
PRIVACY = re.compile(
    r"privacy|data protection|datenschutz|confidentialit|données personnelles|privacidad|protección de datos"
    r"|конфиденциальн|персональн|개인정보|隐私|个人信息|الخصوصية|البيانات الشخصية",
    re.I,
)
CONTACT = re.compile(r"contact|kontakt|contacto|contáctenos|контакт|연락처|문의|联系|اتصل|تواصل", re.I)
OPEN_DATA = re.compile(
    r"open[\s_-]?data|opendata|datos abiertos|données ouvertes|открытые данные|공공데이터|열린데이터|开放数据|البيانات المفتوحة",
    re.I,
)
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE = re.compile(r"(?:\+|\(0|\b0)\d[\d ()./-]{6,}\d")
UPDATED = re.compile(
    r"(?:last updated|last modified|updated on|page updated|last reviewed|mis à jour|actualizado|actualización"
    r"|обновлено|최종 수정|수정일|更新日期|最后更新|آخر تحديث)[^\n]{0,40}?\d{1,4}[./-]\d{1,2}[./-]\d{1,4}",
    re.I,
)
MAX_SECONDS, MAX_BYTES = 5.0, 3_000_000


@dataclass
class Finding:
    check: str
    present: bool
    value: object
    url: str = ""
    text: str = ""
    page: int | None = None  # index of the crawled page whose screenshot is the evidence
    details: list = field(default_factory=list)  # axe findings, broken links


def _links(result: CrawlResult, pattern: re.Pattern, pages: list[int] | None = None):
    for index, page in enumerate(result.pages):
        if pages is not None and index not in pages:
            continue
        for link in page.links:
            if pattern.search(link["text"]) or pattern.search(urlsplit(link["href"]).path):
                yield index, page, link


def https(result: CrawlResult) -> Finding:
    insecure = [p.url for p in result.pages if not p.https]
    home = result.pages[0]
    if insecure:
        return Finding("https", False, False, insecure[0], insecure[0], 0 if insecure[0] == home.url else None)
    return Finding("https", True, True, home.url, home.url, 0)


def privacy_policy(result: CrawlResult) -> Finding:
    for index, _page, link in _links(result, PRIVACY, pages=[0]):
        return Finding("privacy_policy", True, True, link["href"], link["text"] or link["href"], index)
    return Finding("privacy_policy", False, False, result.pages[0].url, "", 0)


def contact(result: CrawlResult) -> Finding:
    for index, page in enumerate(result.pages):
        email = EMAIL.search(page.text)
        phone = PHONE.search(page.text)
        if email and phone:
            return Finding("contact", True, True, page.url, f"{email.group(0)} · {phone.group(0)}", index)
    for index, _page, link in _links(result, CONTACT, pages=[0]):
        return Finding("contact", True, True, link["href"], link["text"] or link["href"], index)
    return Finding("contact", False, False, result.pages[0].url, "", 0)


def site_search(result: CrawlResult) -> Finding:
    home = result.pages[0]
    form = next((f for f in home.forms if f["search"]), None)
    if form or home.search_box:
        return Finding("site_search", True, True, home.url, (form or {}).get("label") or "search", 0)
    return Finding("site_search", False, False, home.url, "", 0)


def mobile_viewport(result: CrawlResult) -> Finding:
    home = result.pages[0]
    declared = "width=device-width" in home.viewport.replace(" ", "").lower()
    present = declared and home.fits_mobile is not False
    value = {"viewport": home.viewport, "fits_375px": home.fits_mobile}
    return Finding("mobile_viewport", present, value, home.url, home.viewport, 0)


def open_data(result: CrawlResult) -> Finding:
    for index, _page, link in _links(result, OPEN_DATA):
        return Finding("open_data", True, True, link["href"], link["text"] or link["href"], index)
    return Finding("open_data", False, False, result.pages[0].url, "", 0)


def _primary(tag: str) -> str:
    return tag.strip().lower().replace("_", "-").split("-")[0]


def languages(result: CrawlResult) -> Finding:
    home = result.pages[0]
    found = {_primary(home.lang)} if home.lang else set()
    found.update(_primary(t) for t in home.alternates if t and t.lower() != "x-default")
    found.update(_primary(link["lang"]) for link in home.links if link.get("lang"))
    found.discard("")
    count = max(1, len(found))
    return Finding("languages", count >= 2, count, home.url, ", ".join(sorted(found)), 0)


def online_form(result: CrawlResult) -> Finding:
    for index, page in enumerate(result.pages):
        for form in page.forms:
            if not form["search"] and (form["textarea"] or form["fields"] >= 2):
                return Finding("online_form", True, True, page.url, form["label"] or page.title, index)
    return Finding("online_form", False, False, result.pages[0].url, "", 0)


def broken_links(result: CrawlResult) -> Finding:
    broken = [b["url"] for b in result.broken]
    # USAB-13: more than one broken link means no.
    return Finding(
        "broken_links",
        len(broken) <= 1,
        broken,
        broken[0] if broken else result.pages[0].url,
        " ".join(broken[:5]),
        None,
        result.broken,
    )


def accessibility(result: CrawlResult) -> Finding:
    counts = dict.fromkeys(("critical", "serious", "moderate", "minor"), 0)
    for violation in result.axe:
        counts[violation["impact"]] = counts.get(violation["impact"], 0) + violation["count"]
    present = counts["critical"] + counts["serious"] == 0
    rules = ", ".join(v["id"] for v in result.axe[:8])
    return Finding("accessibility", present, counts, result.pages[0].url, rules, 0, result.axe[:20])


def page_weight(result: CrawlResult) -> Finding:
    home = result.pages[0]
    value = {"bytes": home.bytes, "seconds": home.seconds, "truncated": home.truncated}
    present = not home.truncated and home.bytes <= MAX_BYTES and home.seconds <= MAX_SECONDS
    return Finding("page_weight", present, value, home.url, f"{home.bytes} B, {home.seconds} s", 0)


def _date_on(page: Page) -> str:
    if page.modified:
        return page.modified
    if page.times:
        return page.times[0]
    match = UPDATED.search(page.text)
    return match.group(0) if match else ""


def last_updated(result: CrawlResult) -> Finding:
    dated = [(i, p, _date_on(p)) for i, p in enumerate(result.pages)]
    with_date = [(i, p, d) for i, p, d in dated if d]
    value = {"pages_with_date": len(with_date), "pages": len(result.pages)}
    present = 2 * len(with_date) >= len(result.pages)
    if with_date:
        index, page, found = with_date[0]
        return Finding("last_updated", present, value, page.url, found[:200], index)
    return Finding("last_updated", False, value, result.pages[0].url, "", 0)


RUNNERS = {name: globals()[name] for name in CHECKS}


def run_checks(result: CrawlResult) -> dict[str, Finding]:
    """Every check's finding; nothing when the crawl has no page to judge."""
    if not result.usable:
        return {}
    return {name: RUNNERS[name](result) for name in CHECKS}
