"""The home page, per role: what to do next; and the in-app notifications."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from ceds.accounts import roles
from ceds.cities.models import City
from ceds.core.models import Notification
from ceds.site import next_steps as tasks


def home(request):
    user = request.user
    if not user.is_authenticated:
        return render(request, "home.html")
    city_roles = list(user.city_roles.select_related("city", "city__country"))
    is_secretariat = roles.is_secretariat(user)
    has_regions = user.region_roles.exists()
    validator = is_secretariat or has_regions
    queue, waiting = tasks.validation_queue(user) if validator else ([], 0)
    context = {
        "city_roles": city_roles,
        "is_secretariat": is_secretariat,
        "city_count": City.objects.count() if is_secretariat else None,
        "my_sections": tasks.contributor_sections(user),
        "desk": tasks.coordinator_desk(user),
        "queue": queue,
        "waiting": waiting,
        "validator": validator,
        "campaign": tasks.campaign(user) if has_regions else None,
        "unread": Notification.objects.filter(user=user, read_at__isnull=True).count(),
        "today": timezone.localdate(),
    }
    return render(request, "homes/home.html", context)


@login_required
def notifications(request):
    notices = Notification.objects.filter(user=request.user)
    page = Paginator(notices, 30).get_page(request.GET.get("page"))
    return render(request, "homes/notifications.html", {"page": page})


@login_required
@require_POST
def open_notification(request, pk):
    """Mark the notice read and go to what it is about."""
    notice = get_object_or_404(Notification, pk=pk, user=request.user)
    if notice.read_at is None:
        Notification.objects.filter(pk=notice.pk).update(read_at=timezone.now())
    safe = url_has_allowed_host_and_scheme(notice.url, allowed_hosts={request.get_host()})
    return redirect(notice.url if notice.url and safe else "notifications")


@login_required
@require_POST
def read_all(request):
    Notification.objects.filter(user=request.user, read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications")
