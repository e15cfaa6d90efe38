from django.urls import path

from ceds.cities import views

app_name = "cities"
urlpatterns = [
    path("", views.city_list, name="list"),
    path("new/", views.city_create, name="create"),
    path("gazetteer/", views.gazetteer_search, name="gazetteer"),
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/profile/", views.profile_edit, name="profile"),
    path("<slug:slug>/budget/new/", views.budget_edit, name="budget_add"),
    path("<slug:slug>/budget/<int:year>/", views.budget_edit, name="budget_edit"),
    path("<slug:slug>/budget/<int:year>/delete/", views.budget_delete, name="budget_delete"),
    path("<slug:slug>/membership/", views.membership_edit, name="membership"),
]
