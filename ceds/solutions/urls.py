from django.urls import path

from ceds.solutions import views

urlpatterns = [
    path("assessments/<int:pk>/plan/", views.plan, name="plan"),
    path("assessments/<int:pk>/plan/targets/<str:code>/", views.set_target, name="plan_target"),
    path("assessments/<int:pk>/actions/", views.actions, name="actions"),
    path("assessments/<int:pk>/actions/adopt/<slug:code>/", views.adopt, name="adopt"),
    path("assessments/<int:pk>/actions/adopt/<slug:code>/steps/", views.adopt_steps, name="adopt_steps"),
    path("assessments/<int:pk>/actions/<int:action_pk>/", views.action_edit, name="action_edit"),
    path("modules/", views.module_list, name="modules"),
    path("modules/<slug:code>/", views.module_detail, name="module"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/new/", views.practice_new, name="practice_new"),
    path("practices/mine/", views.practices_mine, name="practices_mine"),
    path("practices/review/", views.practice_review, name="practice_review"),
    path("practices/<int:pk>/edit/", views.practice_edit, name="practice_edit"),
    path("practices/<int:pk>/attachment/", views.practice_attachment, name="practice_attachment"),
]
