from django.urls import path

from ceds.benchmarks import public

urlpatterns = [
    path("map/", public.map_page, name="map"),
    path("rankings/", public.rankings, name="rankings"),
    path("public/cities/<slug:slug>/", public.public_city, name="public_city"),
]
