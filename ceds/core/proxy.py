"""The client's address behind our proxy (BEHIND_PROXY=true, as deploy/haproxy.cfg runs).

HAProxy appends the address it saw to X-Forwarded-For; anything to the left of it came from the
client and may be forged, so only the rightmost entry counts. Without the proxy, REMOTE_ADDR.
Lockouts (django-axes) key on it, so every user behind the proxy does not share one address.
"""

from django.conf import settings


def client_ip(request) -> str:
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if settings.BEHIND_PROXY and forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")
