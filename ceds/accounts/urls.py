from django.urls import path

from ceds.accounts import views

urlpatterns = [
    path("cities/<slug:slug>/invite/", views.city_invite, name="city_invite"),
    path("cities/<slug:slug>/members/<int:pk>/remove/", views.city_role_remove, name="city_role_remove"),
    path("cities/<slug:slug>/hand-over/", views.city_hand_over, name="city_hand_over"),
    path(
        "cities/<slug:slug>/invitations/<int:pk>/resend/", views.city_invitation_resend, name="city_invitation_resend"
    ),
    path("invitations/new/", views.staff_invite, name="staff_invite"),
    path("invitations/<int:pk>/resend/", views.staff_invitation_resend, name="staff_invitation_resend"),
    path("invitations/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("me/", views.me, name="me"),
    path("language/", views.switch_language, name="switch_language"),
]
