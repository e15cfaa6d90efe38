"""Links built from one reverse() each: pages that link dozens of rows to the same view.

reverse() costs tens of microseconds; a dashboard links every figure it shows and the map
every city it lists. For a view whose last URL argument is plain path text (a slug, a
figure key), the URL is the same prefix and suffix around it, worked out once per process.
"""

from functools import lru_cache
from urllib.parse import quote

from django.urls import get_script_prefix, reverse

# A stand-in for the last argument that every converter we use accepts (str, slug, path).
_MARK = "linkmark0"


@lru_cache(maxsize=4096)
def _around(viewname: str, args: tuple, script_prefix: str) -> tuple[str, str]:
    url = reverse(viewname, args=[*args, _MARK])
    at = url.rindex(_MARK)
    return url[:at], url[at + len(_MARK) :]


def link(viewname: str, *args, last: str) -> str:
    """reverse(viewname, args=[*args, last]), for a `last` made of letters, digits, '-', '_', ':' and '/'."""
    before, after = _around(viewname, args, get_script_prefix())
    return f"{before}{quote(last, safe=':/')}{after}"
