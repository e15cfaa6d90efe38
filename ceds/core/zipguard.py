"""Bounded inspection of an uploaded zip before anything parses it.

Every zip a user hands us (evidence, offline workbooks, framework workbooks) passes through
`inspect_document` first. It reads the end-of-archive record, refuses archives with too many
members, members that would inflate beyond a limit or by a suspicious ratio, and too much in
total; then it inflates every member in small chunks (never one member into memory), which
also checks each CRC. Python's zipfile, which openpyxl uses too, never yields more than a
member's declared size, so once the declared sizes pass, later parsing is bounded by them.

The document policy is an allow-list of what an Office Open XML or OpenDocument file may
contain: member names by extension, declared content types by family, and each member's
first bytes (no executable, no OLE container, no HTML or script, no XML entity declarations).
Macros (VBA projects, macro-enabled types, OpenDocument Basic and scripts), ActiveX and
embedded OLE objects are refused.
"""

from __future__ import annotations

import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException
from django.conf import settings
from django.utils.translation import gettext as _

CHUNK = 64 * 1024
# Below this size a high compression ratio is normal (XML of repeated cells) and harmless.
RATIO_FLOOR = 1024 * 1024
# [Content_Types].xml, META-INF/manifest.xml and mimetype are parsed whole: keep them small.
CATALOGUE_MAX = 1024 * 1024
# An average central-directory entry is ~100 bytes; this bounds what zipfile reads into memory.
DIRECTORY_BYTES_PER_MEMBER = 512


class ZipRefused(ValueError):
    """The archive breaks a limit or the document policy; the message says which, for a person."""


@dataclass(frozen=True)
class ZipLimits:
    max_members: int
    max_member_bytes: int
    max_total_bytes: int
    max_ratio: int

    @classmethod
    def for_evidence(cls) -> ZipLimits:
        return cls(
            max_members=settings.ZIP_MAX_MEMBERS,
            max_member_bytes=settings.ZIP_MAX_MEMBER_BYTES,
            max_total_bytes=settings.ZIP_MAX_TOTAL_BYTES,
            max_ratio=settings.ZIP_MAX_RATIO,
        )

    @classmethod
    def for_workbooks(cls) -> ZipLimits:
        return cls(
            max_members=settings.ZIP_MAX_MEMBERS,
            max_member_bytes=settings.WORKBOOK_MAX_PART_BYTES,
            max_total_bytes=settings.WORKBOOK_MAX_INFLATED_BYTES,
            max_ratio=settings.ZIP_MAX_RATIO,
        )


@dataclass
class Document:
    """What the inspection learnt: the member names and, per format, its catalogue."""

    names: set[str]
    mimetype: str = ""  # OpenDocument only
    content_types: dict[str, str] = field(default_factory=dict)  # member name -> declared type (OOXML)


def _mb(n: int) -> str:
    return f"{n / 1_048_576:.0f} MB"


def _too_large(name: str, size: int, limit: int) -> ZipRefused:
    return ZipRefused(
        _("The archive member %(name)s would inflate to %(size)s; the limit is %(limit)s.")
        % {"name": name[:100], "size": _mb(size), "limit": _mb(limit)}
    )


def _declarations(name: str) -> ZipRefused:
    return ZipRefused(
        _("The part %(name)s holds XML comments, declarations or entities, which documents we read do not contain.")
        % {"name": name[:100]}
    )


def _check_directory(source, limits: ZipLimits) -> None:
    """Refuse before zipfile reads the central directory into memory."""
    source.seek(0)
    # zipfile's own reader of the end record: it reads at most the last 64 KB (+ zip64 record).
    end = zipfile._EndRecData(source)  # type: ignore[attr-defined]
    if end is None:
        raise ZipRefused(_("The file is damaged or not a document we accept."))
    entries, directory_size = end[zipfile._ECD_ENTRIES_TOTAL], end[zipfile._ECD_SIZE]  # type: ignore[attr-defined]
    if entries > limits.max_members or directory_size > limits.max_members * DIRECTORY_BYTES_PER_MEMBER:
        raise ZipRefused(
            _("The archive holds too many files (the limit is %(limit)s).") % {"limit": limits.max_members}
        )


def _check_entries(infos: list[zipfile.ZipInfo], limits: ZipLimits) -> None:
    if len(infos) > limits.max_members:
        raise ZipRefused(
            _("The archive holds too many files (the limit is %(limit)s).") % {"limit": limits.max_members}
        )
    seen: set[str] = set()
    total = 0
    for info in infos:
        name = info.filename
        parts = name.split("/")
        if not name or name.startswith("/") or "\\" in name or "\x00" in name or ".." in parts or ":" in parts[0]:
            raise ZipRefused(_("The archive holds a file with an unsafe name: %(name)s.") % {"name": name[:100]})
        if name.lower() in seen:
            raise ZipRefused(_("The archive holds the file %(name)s twice.") % {"name": name[:100]})
        seen.add(name.lower())
        if info.flag_bits & 0x1 or info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise ZipRefused(_("The archive is encrypted or compressed in a way documents are not; save it again."))
        if info.file_size > limits.max_member_bytes:
            raise _too_large(name, info.file_size, limits.max_member_bytes)
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise ZipRefused(
                _("The archive member %(name)s is compressed %(ratio)s to 1, beyond the limit of %(limit)s to 1.")
                % {
                    "name": name[:100],
                    "ratio": info.file_size // max(info.compress_size, 1),
                    "limit": limits.max_ratio,
                }
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise ZipRefused(
                _("The archive would inflate to more than %(limit)s.") % {"limit": _mb(limits.max_total_bytes)}
            )


# -- the document policy ------------------------------------------------------------------

_EXECUTABLE_MAGIC = (b"MZ", b"\x7fELF", b"\xca\xfe\xba\xbe", b"\xcf\xfa\xed\xfe", b"\xfe\xed\xfa", b"#!")
# OLE compound files: VBA projects, ActiveX, embedded legacy objects.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_MARKUP_STARTS = (b"<html", b"<!doctype html", b"<script", b"<body", b"<iframe", b"<svg")

_OOXML_EXTENSIONS = {
    "xml", "rels", "vml", "bin", "sigs", "psmdcp",
    "png", "jpeg", "jpg", "jpe", "jfif", "gif", "bmp", "tif", "tiff", "emf", "wmf", "emz", "wmz", "wdp", "jxr", "webp",
    "odttf", "ttf", "otf", "fntdata",
    "xlsx", "docx", "pptx",
    "mp4", "m4v", "mov", "wmv", "avi", "mp3", "m4a", "wav", "wma",
}  # fmt: skip
_ODF_EXTENSIONS = {
    "", "xml", "rdf",
    "png", "jpeg", "jpg", "gif", "bmp", "tif", "tiff", "svm", "emf", "wmf", "webp",
}  # fmt: skip
_ALLOWED_TYPE_PREFIXES = (
    "application/vnd.openxmlformats-",
    "application/vnd.ms-office.",
    "application/vnd.ms-excel.",
    "application/vnd.ms-word.",
    "application/vnd.ms-powerpoint.",
    "application/vnd.ms-package.",
    "application/vnd.oasis.opendocument.",
    "application/vnd.sun.xml.ui.configuration",
    "application/x-openoffice-gdimetafile",
    "application/binary",  # LibreOffice's layout-cache
    "application/xml",
    "application/rdf+xml",
    "text/xml",
    "image/",
    "video/",
    "audio/",
    "application/x-font",
    "application/vnd.ms-fontobject",
    "font/",
)
_MACRO_WORDS = ("macroenabled", "vbaproject", "vbadata", "script", "basic")
_ACTIVE_WORDS = ("activex", "oleobject", "svg", "html", "javascript", "ecmascript", "msdownload", "executable")


def _macros() -> ZipRefused:
    return ZipRefused(_("The document contains macros; save it without macros (e.g. .docx) or as PDF."))


def _active(name: str) -> ZipRefused:
    return ZipRefused(
        _("The document holds %(name)s, a program, web page or embedded object, which cannot be attached.")
        % {"name": name[:100]}
    )


def _check_type(name: str, declared: str) -> None:
    lowered = declared.lower()
    if any(word in lowered for word in _MACRO_WORDS):
        raise _macros()
    if any(word in lowered for word in _ACTIVE_WORDS) or not lowered.startswith(_ALLOWED_TYPE_PREFIXES):
        raise _active(name)


def _extension(name: str) -> str:
    base = posixpath.basename(name)
    return base.rsplit(".", 1)[1].lower() if "." in base else ""


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    info = archive.getinfo(name)
    if info.file_size > CATALOGUE_MAX:
        raise _too_large(name, info.file_size, CATALOGUE_MAX)
    return archive.read(info)


def _parse(data: bytes, name: str) -> ElementTree.Element:
    if b"<!entity" in data.lower() or b"<!doctype" in data.lower():
        raise _declarations(name)
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException):
        raise ZipRefused(_("The file is damaged or not a document we accept.")) from None


def _ooxml_types(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    root = _parse(_read_small(archive, "[Content_Types].xml"), "[Content_Types].xml")
    defaults, overrides = {}, {}
    for element in root:
        tag = element.tag.rsplit("}", 1)[-1]
        declared = element.get("ContentType") or ""
        if tag == "Default":
            defaults[(element.get("Extension") or "").lower()] = declared
        elif tag == "Override":
            overrides[(element.get("PartName") or "").lstrip("/").lower()] = declared
    types = {}
    for name in names:
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        declared = overrides.get(name.lower()) or defaults.get(_extension(name))
        if declared:
            types[name] = declared
    return types


def _check_ooxml(archive: zipfile.ZipFile, names: set[str]) -> dict[str, str]:
    types = _ooxml_types(archive, names)
    for name in names:
        if name == "[Content_Types].xml" or name.endswith("/"):
            continue
        lowered = name.lower()
        if (
            "vbaproject" in lowered
            or "vbadata" in lowered
            or lowered.startswith(("basic/", "scripts/"))
            or _extension(name) in ("docm", "xlsm", "pptm", "xlam")
        ):
            raise _macros()
        if _extension(name) not in _OOXML_EXTENSIONS:
            raise _active(name)
        if name in types:
            _check_type(name, types[name])
        if _extension(name) == "bin" and "printersettings" not in types.get(name, "").lower():
            raise _active(name)
    return types


def _check_odf(archive: zipfile.ZipFile, names: set[str]) -> str:
    mimetype = _read_small(archive, "mimetype").decode("ascii", "replace").strip()
    for name in names:
        lowered = name.lower()
        if lowered.startswith(("basic/", "scripts/")) or _extension(name) == "xba":
            raise _macros()
        if not name.endswith("/") and _extension(name) not in _ODF_EXTENSIONS:
            raise _active(name)
    if "META-INF/manifest.xml" in names:
        root = _parse(_read_small(archive, "META-INF/manifest.xml"), "META-INF/manifest.xml")
        for entry in root.iter():
            attributes = {key.rsplit("}", 1)[-1]: value for key, value in entry.attrib.items()}
            declared, path = attributes.get("media-type", ""), attributes.get("full-path", "")
            if declared and path != "/" and not path.endswith("/"):
                _check_type(path, declared)
    return mimetype


def _check_content(name: str, head: bytes) -> None:
    if head.startswith(_EXECUTABLE_MAGIC):
        raise _active(name)
    if head.startswith(_OLE_MAGIC):
        if "vba" in name.lower():
            raise _macros()
        raise _active(name)
    extension = _extension(name)
    if extension in ("xml", "rels", "vml", "rdf", ""):
        start = head.lstrip().lower()
        if start.startswith(_MARKUP_STARTS) or b"<script" in head.lower():
            raise _active(name)
        if b"<!entity" in head.lower():
            raise _declarations(name)
        # An XML part is XML (UTF-8, or UTF-16 with its byte-order mark); not a disguised blob.
        utf16 = head.startswith((b"\xff\xfe", b"\xfe\xff"))
        if extension and head and not utf16 and not head.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"<"):
            raise _active(name)


class _PlainXml:
    """Refuses comments, processing instructions (past the declaration) and DTDs, chunk by chunk.

    Python's ElementTree joins the text around each comment or instruction onto the text it
    already holds, which is quadratic: 4 MB of comments in <sheetData> cost 10 s of CPU in
    openpyxl. Spreadsheet programs write none of these, so workbooks we parse may not hold them.
    """

    def __init__(self, name: str):
        self.name, self.carry, self.position = name, b"", 0

    def feed(self, chunk: bytes) -> None:
        window = self.carry + chunk
        lowered = window.lower()
        start = self.position - len(self.carry)
        instruction = window.find(b"<?")
        while instruction != -1:
            if start + instruction > 8:  # the XML declaration opens the part, after a byte-order mark
                break
            instruction = window.find(b"<?", instruction + 1)
        if instruction != -1 or b"<!--" in lowered or b"<!doctype" in lowered or b"<!entity" in lowered:
            raise _declarations(self.name)
        self.carry, self.position = window[-8:], self.position + len(chunk)


def _parsed_by_openpyxl(name: str) -> bool:
    return name.startswith(("xl/", "docProps/", "_rels/")) and _extension(name) in ("xml", "rels")


def inspect_document(source, limits: ZipLimits, plain_xml: bool = False) -> Document:
    """Check a zip against the limits and the document policy, reading it in bounded chunks.

    With `plain_xml` (documents we parse ourselves), XML parts may hold no comments,
    processing instructions or DTDs. Raise ZipRefused naming what is wrong; leave `source`
    at its start either way.
    """
    try:
        _check_directory(source, limits)
        source.seek(0)
        with zipfile.ZipFile(source) as archive:
            infos = archive.infolist()
            _check_entries(infos, limits)
            names = {info.filename for info in infos}
            document = Document(names=names)
            if "[Content_Types].xml" in names:
                document.content_types = _check_ooxml(archive, names)
            elif "mimetype" in names:
                document.mimetype = _check_odf(archive, names)
            for info in infos:
                if info.is_dir():
                    continue
                scan = _PlainXml(info.filename) if plain_xml and _parsed_by_openpyxl(info.filename) else None
                with archive.open(info) as member:
                    chunk = member.read(CHUNK)
                    _check_content(info.filename, chunk)
                    while chunk:  # inflates within the declared size and checks the CRC
                        if scan:
                            scan.feed(chunk)
                        chunk = member.read(CHUNK)
            return document
    # NotImplementedError and RuntimeError: zip features the standard library cannot read (patched
    # data, unknown compression methods, encryption), which no document we accept uses.
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        EOFError,
        OSError,
        ValueError,
        KeyError,
        NotImplementedError,
        RuntimeError,
    ) as error:
        if isinstance(error, ZipRefused):
            raise
        raise ZipRefused(_("The file is damaged or not a document we accept.")) from None
    finally:
        source.seek(0)
