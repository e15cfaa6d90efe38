"""Files we serve from our own origin: the stored, checked type, never guessed, and headers that
keep a browser from running them.

Every stored file (evidence, practice attachments) and every file we generate for download
(reports, workbooks, open data) is sent as an attachment with `nosniff` and a sandboxing
Content-Security-Policy, so even a file that got past the content check cannot run script
in our origin: the browser saves it instead of rendering it, and if it renders it anyway,
the sandbox gives it a unique origin with no script.
"""

from __future__ import annotations

from django.http import FileResponse, HttpResponse

SANDBOX = "default-src 'none'; sandbox"
UNKNOWN = "application/octet-stream"


def protect(response: HttpResponse) -> HttpResponse:
    response["X-Content-Type-Options"] = "nosniff"
    # django-csp leaves a policy already set on the response in place.
    response["Content-Security-Policy"] = SANDBOX
    return response


def stored_file(field_file, filename: str, content_type: str) -> FileResponse:
    """A stored file (read through its storage), with the type recorded when it was checked."""
    return protect(
        FileResponse(field_file.open("rb"), as_attachment=True, filename=filename, content_type=content_type or UNKNOWN)
    )


def generated_file(body: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return protect(response)
