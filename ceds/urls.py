from django.contrib import admin
from django.urls import include, path

from ceds.api import pages as api_pages
from ceds.assessments import views as assessment_views
from ceds.site import homes as home_views
from ceds.site import views as site_views

urlpatterns = [
    path("", home_views.home, name="home"),
    path("notifications/", home_views.notifications, name="notifications"),
    path("notifications/read/", home_views.read_all, name="notifications_read"),
    path("notifications/<int:pk>/", home_views.open_notification, name="notification_open"),
    path("healthz", site_views.healthz, name="healthz"),
    path("favicon.ico", site_views.favicon, name="favicon"),
    path("audit/", site_views.audit_log, name="audit_log"),
    path("cities/", include("ceds.cities.urls")),
    path("cities/<slug:slug>/assessments/", assessment_views.city_assessments, name="city_assessments"),
    path("assessments/", include("ceds.assessments.urls")),
    path("", include("ceds.results.urls")),
    path("", include("ceds.benchmarks.urls")),
    path("", include("ceds.solutions.urls")),
    path("", include("ceds.reports.urls")),
    path("", include("ceds.accounts.urls")),
    path("", include("ceds.indices.urls")),
    path("", include("ceds.audit.urls")),
    path("me/data/", site_views.my_data, name="my_data"),
    path("me/api-tokens/", api_pages.api_tokens, name="api_tokens"),
    path("me/api-tokens/<int:pk>/revoke/", api_pages.api_token_revoke, name="api_token_revoke"),
    path("open-data/", api_pages.open_data, name="open_data"),
    path("api/v1/", include("ceds.api.urls")),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
]
