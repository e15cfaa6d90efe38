from django.urls import path

from ceds.results import views

urlpatterns = [
    path("assessments/<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("assessments/<int:pk>/services/", views.services, name="services"),
    path("assessments/<int:pk>/explain/<path:key>/", views.explain, name="explain"),
    path("assessments/<int:pk>/benchmark/", views.benchmark, name="benchmark"),
    path("assessments/<int:pk>/history/", views.history, name="history"),
    path("assessments/<int:pk>/compare/<int:other_pk>/", views.compare, name="compare"),
]
