"""The platform's URLs plus the benchmark's yardstick: a trivial page through the same stack.

The trivial page is signed in like the others (same middleware, session and user look-up),
runs one query of its own and renders a one-line template.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template import engines
from django.urls import path

from ceds.cities.models import Region
from ceds.urls import urlpatterns as ceds_urlpatterns

TEMPLATE = engines["django"].from_string("<!doctype html><title>{{ name }}</title><p>{{ name }}</p>")


@login_required
def trivial(request):
    name = Region.objects.values_list("code", flat=True).first()
    return HttpResponse(TEMPLATE.render({"name": name}, request))


urlpatterns = [path("bench/trivial/", trivial, name="bench_trivial"), *ceds_urlpatterns]
