"""A crawl result built by hand, so services and pages are tested without a browser."""

from ceds.audit.crawler import CrawlResult, Page

JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9"


def crawl_result(url="https://portal.example/", good=True) -> CrawlResult:
    home = Page(
        url=url,
        status=200,
        title="City portal",
        lang="en",
        text="E-mail info@portal.example · Phone +82 2 120 0000 · Last updated: 2026-11-20" if good else "Welcome",
        links=[
            {"href": url + "privacy", "text": "Privacy policy", "lang": ""},
            {"href": url + "ko/", "text": "한국어", "lang": "ko"},
            {"href": url + "open-data", "text": "Open data", "lang": ""},
        ]
        if good
        else [],
        forms=[{"action": url + "search", "fields": 1, "textarea": False, "search": True, "label": "Search"}]
        if good
        else [],
        viewport="width=device-width, initial-scale=1" if good else "",
        https=good,
        bytes=20_000,
        seconds=0.4,
        fits_mobile=good,
        screenshot=JPEG,
    )
    contact = Page(
        url=url + "contact",
        status=200,
        title="Contact",
        text="Write to us. Last updated: 2026-11-02" if good else "",
        forms=[{"action": url + "contact", "fields": 2, "textarea": True, "search": False, "label": "Write to us"}]
        if good
        else [],
        https=good,
        screenshot=JPEG,
    )
    axe = (
        []
        if good
        else [
            {
                "id": "image-alt",
                "impact": "critical",
                "help": "Images must have alternate text",
                "nodes": ["img"],
                "count": 2,
            }
        ]
    )
    return CrawlResult(
        url,
        "done",
        pages=[home, contact],
        axe=axe,
        broken=[] if good else [{"url": url + "a", "status": 404}, {"url": url + "b", "status": 404}],
    )


def load_website_framework(root):
    """Load the real website-evaluation framework v1 alone (with content/audit beside it) from a copy under root."""
    import shutil
    from pathlib import Path

    from django.conf import settings

    from ceds.content.loader import load_framework
    from ceds.content.reader import read_content
    from ceds.frameworks.models import FrameworkVersion

    source = Path(settings.CONTENT_DIR)
    shutil.copytree(source / "frameworks" / "website", root / "frameworks" / "website")
    shutil.copytree(source / "audit", root / "audit")
    bundle = read_content(root)
    assert not bundle.problems, bundle.problems
    load_framework(bundle.framework("website", 1), None, root)
    return FrameworkVersion.objects.get(framework_id="website", version=1)
