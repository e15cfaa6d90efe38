from django.urls import path

from ceds.audit import views

app_name = "audit"
urlpatterns = [
    path("cities/<slug:slug>/portal-audit/", views.audit_page, name="page"),
    path("cities/<slug:slug>/portal-audit/run/", views.run_audit, name="run"),
    path("portal-audit/proposals/<int:pk>/", views.decide, name="decide"),
    path("portal-audit/proposals/<int:pk>/screenshot.jpg", views.screenshot, name="screenshot"),
    path("assessments/<int:pk>/sections/<str:code>/accept-audit/", views.accept_section, name="accept_section"),
]
