"""Evidence files: what we accept, decided by content, never by the file name.

Accepted: PDF; PNG, JPEG, GIF, WebP images; Office Open XML documents without macros
(docx, xlsx, pptx); OpenDocument text, spreadsheet and presentation; plain text and CSV.
Everything else is refused, notably executables, HTML or SVG (script in a browser), legacy
OLE Office files and macro-enabled documents, whatever their extension says. Zips are
inspected within limits, member by member, before anything reads them (ceds/core/zipguard.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from ceds.core.zipguard import ZipLimits, ZipRefused, inspect_document

SNIFF_BYTES = 8192


class UploadRefused(ValueError):
    pass


@dataclass(frozen=True)
class Accepted:
    content_type: str
    label: str


_MAGIC = (
    (b"%PDF-", Accepted("application/pdf", "PDF")),
    (b"\x89PNG\r\n\x1a\n", Accepted("image/png", "PNG image")),
    (b"\xff\xd8\xff", Accepted("image/jpeg", "JPEG image")),
    (b"GIF87a", Accepted("image/gif", "GIF image")),
    (b"GIF89a", Accepted("image/gif", "GIF image")),
)
_REFUSED_MAGIC = (
    (b"MZ", "a Windows executable"),
    (b"\x7fELF", "a Linux executable"),
    (b"\xca\xfe\xba\xbe", "a macOS or Java executable"),
    (b"\xcf\xfa\xed\xfe", "a macOS executable"),
    (b"#!", "a script"),
    (
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
        "a legacy Office file, which may carry macros; save it as .docx, .xlsx or PDF",
    ),
)
_OOXML = {
    "word/document.xml": Accepted(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word document"
    ),
    "xl/workbook.xml": Accepted("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel workbook"),
    "ppt/presentation.xml": Accepted(
        "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint presentation"
    ),
}
_ODF = {
    "application/vnd.oasis.opendocument.text": "OpenDocument text",
    "application/vnd.oasis.opendocument.spreadsheet": "OpenDocument spreadsheet",
    "application/vnd.oasis.opendocument.presentation": "OpenDocument presentation",
}
_MARKUP = (b"<html", b"<!doctype", b"<script", b"<svg", b"<?xml", b"<body", b"<iframe")


def _zip_kind(upload) -> Accepted:
    try:
        document = inspect_document(upload, ZipLimits.for_evidence())
    except ZipRefused as refused:
        raise UploadRefused(str(refused)) from None
    for marker, kind in _OOXML.items():
        if marker in document.names and document.content_types:
            return kind
    if document.mimetype in _ODF:
        return Accepted(document.mimetype, _ODF[document.mimetype])
    raise UploadRefused(_("This archive is not a document we accept; attach PDF, Office or OpenDocument files."))


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    try:
        text = head.decode("utf-8")
    except UnicodeDecodeError:
        # A multi-byte character cut at the end of the sniffed block is still text.
        try:
            text = head[:-4].decode("utf-8")
        except UnicodeDecodeError:
            return False
    return all(ch.isprintable() or ch in "\r\n\t" for ch in text)


def check_upload(upload, max_bytes: int) -> Accepted:
    """The accepted kind of an uploaded file, or UploadRefused with a reason a person can act on."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, 2)
        size = upload.tell()
    if size == 0:
        raise UploadRefused(_("The file is empty."))
    if size > max_bytes:
        raise UploadRefused(
            _("The file is %(size).1f MB; the limit is %(limit).0f MB.")
            % {"size": size / 1_048_576, "limit": max_bytes / 1_048_576}
        )
    upload.seek(0)
    head = upload.read(SNIFF_BYTES)
    upload.seek(0)
    for magic, reason in _REFUSED_MAGIC:
        if head.startswith(magic):
            raise UploadRefused(_("The file is %(what)s, which cannot be attached.") % {"what": reason})
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            return kind
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return Accepted("image/webp", "WebP image")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(upload)
    stripped = head.lstrip().lower()
    if any(stripped.startswith(tag) for tag in _MARKUP) or b"<script" in head.lower():
        raise UploadRefused(_("The file is a web page or markup, which cannot be attached; save it as PDF."))
    if _is_text(head):
        return Accepted("text/plain", "text")
    raise UploadRefused(_("This kind of file cannot be attached; use PDF, an image or an Office document."))
