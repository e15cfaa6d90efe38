from django.urls import path

from ceds.reports import views

urlpatterns = [
    path("assessments/<int:pk>/report/", views.report, name="report"),
    path("assessments/<int:pk>/report/reissue/", views.reissue, name="report_reissue"),
    path("assessments/<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
]
