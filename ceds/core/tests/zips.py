"""Zips for tests: minimal but well-formed Office and OpenDocument files, and ways to spoil them."""

from __future__ import annotations

import io
import zipfile

WORD_MAIN = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)


def content_types(*overrides: tuple[str, str], defaults: tuple[tuple[str, str], ...] = ()) -> str:
    parts = [
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>',
        '<Default Extension="xml" ContentType="application/xml"/>',
        *(f'<Default Extension="{e}" ContentType="{t}"/>' for e, t in defaults),
        f'<Override PartName="/word/document.xml" ContentType="{WORD_MAIN}"/>',
        *(f'<Override PartName="/{name}" ContentType="{t}"/>' for name, t in overrides),
    ]
    return (
        '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'content-types">{"".join(parts)}</Types>'
    )


def build(members: dict[str, bytes | str], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def docx(extra: dict[str, bytes | str] | None = None, types: str | None = None, **options) -> bytes:
    """A Word document with `extra` members; `types` replaces its [Content_Types].xml."""
    members: dict[str, bytes | str] = {
        "[Content_Types].xml": types if types is not None else content_types(),
        "_rels/.rels": RELS,
        "word/document.xml": '<?xml version="1.0"?><w:document xmlns:w="urn:w"><w:body/></w:document>',
    }
    members.update(extra or {})
    return build(members, **options)


def odt(extra: dict[str, bytes | str] | None = None) -> bytes:
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:'
        'xmlns:manifest:1.0"><manifest:file-entry manifest:media-type="application/vnd.oasis.opendocument.text" '
        'manifest:full-path="/"/><manifest:file-entry manifest:media-type="text/xml" manifest:full-path="content.xml"/>'
        "</manifest:manifest>"
    )
    members: dict[str, bytes | str] = {
        "mimetype": "application/vnd.oasis.opendocument.text",
        "META-INF/manifest.xml": manifest,
        "content.xml": '<?xml version="1.0"?><office:document-content xmlns:office="urn:o"/>',
    }
    members.update(extra or {})
    return build(members)


def with_members(source: bytes, extra: dict[str, bytes | str], overrides: tuple[tuple[str, str], ...] = ()) -> bytes:
    """`source` (an OOXML zip) with more members, and more Override entries in its content types."""
    members: dict[str, bytes | str] = {}
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        for name in archive.namelist():
            members[name] = archive.read(name)
    types = members["[Content_Types].xml"]
    text = types.decode() if isinstance(types, bytes) else types
    added = "".join(f'<Override PartName="/{name}" ContentType="{t}"/>' for name, t in overrides)
    members["[Content_Types].xml"] = text.replace("</Types>", added + "</Types>")
    members.update(extra)
    return build(members)
