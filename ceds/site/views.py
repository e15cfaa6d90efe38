import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ceds.accounts import roles
from ceds.core import audit, health
from ceds.core.models import AuditEvent
from ceds.privacy import personal_data

_FAVICON = settings.BASE_DIR / "static" / "favicon.ico"


@require_GET
def favicon(request):
    """/favicon.ico, which browsers ask for on every site whatever the page links: a day's cache."""
    response = HttpResponse(_FAVICON.read_bytes(), content_type="image/x-icon")
    response["Cache-Control"] = "public, max-age=86400"
    return response


@never_cache
def healthz(request):
    """For load balancers: 200 when the database, the cache and the broker answer, else 503."""
    healthy, results = health.report()
    return JsonResponse({"status": "ok" if healthy else "error", **results}, status=200 if healthy else 503)


@login_required
def audit_log(request):
    if not roles.is_secretariat(request.user):
        raise PermissionDenied
    events = AuditEvent.objects.select_related("actor", "city")
    city = request.GET.get("city", "")
    if city:
        events = events.filter(city__slug=city)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "site/audit_log.html", {"page": page, "city": city})


@login_required
@require_GET
def my_data(request):
    """What we hold about the signed-in user, and its download as JSON."""
    if request.GET.get("download") != "json":
        return render(request, "site/my_data.html")
    data = personal_data.export_for(request.user)
    audit.record(request.user, "personal_data.export", request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="ceds-my-data.json"'
    response["Cache-Control"] = "no-store"
    return response
