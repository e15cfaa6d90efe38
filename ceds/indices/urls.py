from django.urls import path

from ceds.indices import views

urlpatterns = [path("indices/", views.indices, name="indices")]
