import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ceds.accounts import roles
from ceds.cities.models import City
from ceds.core import audit
from ceds.core.models import AuditEvent
from ceds.privacy import personal_data


def home(request):
    context = {}
    if request.user.is_authenticated:
        context["city_roles"] = request.user.city_roles.select_related("city", "city__country")
        context["region_roles"] = request.user.region_roles.select_related("region")
        context["is_secretariat"] = roles.is_secretariat(request.user)
    context["city_count"] = City.objects.count()
    return render(request, "home.html", context)


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any database error means "not healthy"
        return JsonResponse({"status": "error", "database": str(exc.__class__.__name__)}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


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
