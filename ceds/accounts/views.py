from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ceds.accounts import roles, services
from ceds.accounts.forms import (
    AcceptInvitationForm,
    CityInvitationForm,
    HandOverForm,
    LanguageForm,
    StaffInvitationForm,
)
from ceds.accounts.models import CityRole, Invitation, User
from ceds.tenancy.access import get_city_for


@login_required
@require_http_methods(["GET", "POST"])
def city_invite(request, slug):
    city = get_city_for(request.user, slug, write=True)
    form = CityInvitationForm(request.POST or None, city=city)
    if request.method == "POST" and form.is_valid():
        services.invite(request.user, form.cleaned_data["email"], city=city, city_role=form.cleaned_data["role"])
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]})
        return redirect("cities:detail", slug=city.slug)
    pending = Invitation.objects.awaiting().filter(city=city)
    return render(request, "accounts/invite.html", {"city": city, "form": form, "pending": pending})


@login_required
@require_http_methods(["GET", "POST"])
def city_hand_over(request, slug):
    city = get_city_for(request.user, slug, write=True)
    form = HandOverForm(request.POST or None, city=city, actor=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            result = services.hand_over(
                request.user, city, colleague=data["colleague"], email=data["email"], keep_as=data["keep_as"]
            )
        except ValidationError as error:
            form.add_error("email" if error.code == "email" else "colleague", error)
        else:
            if isinstance(result, Invitation):
                messages.success(
                    request,
                    _("Invitation sent to %(email)s: they become coordinator when they accept.")
                    % {"email": result.email},
                )
            else:
                messages.success(request, _("%(name)s is now the coordinator.") % {"name": result.user})
            return redirect("cities:detail", slug=city.slug)
    return render(request, "accounts/hand_over.html", {"city": city, "form": form})


@login_required
@require_POST
def city_invitation_resend(request, slug, pk):
    city = get_city_for(request.user, slug, write=True)
    invitation = get_object_or_404(Invitation.objects.awaiting(), city=city, pk=pk)
    services.resend_invitation(request.user, invitation)
    messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("city_invite", slug=city.slug)


@login_required
@require_POST
def staff_invitation_resend(request, pk):
    if not roles.is_secretariat_admin(request.user):
        raise PermissionDenied
    invitation = get_object_or_404(Invitation.objects.awaiting().exclude(kind=Invitation.Kind.CITY), pk=pk)
    services.resend_invitation(request.user, invitation)
    messages.success(request, _("Invitation sent again to %(email)s.") % {"email": invitation.email})
    return redirect("staff_invite")


@login_required
@require_POST
def city_role_remove(request, slug, pk):
    city = get_city_for(request.user, slug, write=True)
    role = get_object_or_404(CityRole, city=city, pk=pk)
    if role.user_id == request.user.pk:
        messages.error(request, _("You cannot remove your own role."))
    else:
        services.remove_city_role(request.user, role)
        messages.success(request, _("Role removed."))
    return redirect("cities:detail", slug=city.slug)


@login_required
@require_http_methods(["GET", "POST"])
def staff_invite(request):
    if not roles.is_secretariat_admin(request.user):
        raise PermissionDenied
    form = StaffInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if data["role"] == "region":
            services.invite(request.user, data["email"], region=data["region"])
        else:
            services.invite(request.user, data["email"], secretariat_role=data["role"])
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": data["email"]})
        return redirect("staff_invite")
    pending = Invitation.objects.awaiting().exclude(kind=Invitation.Kind.CITY).select_related("region")
    return render(request, "accounts/invite.html", {"form": form, "pending": pending})


@require_http_methods(["GET", "POST"])
def invitation_accept(request, token):
    invitation = Invitation.objects.for_token(token)
    if invitation is None:
        expired = Invitation.objects.expired_for_token(token)
        if expired is not None:
            # Gone, not unknown: say so, and who can send a new link.
            return render(request, "accounts/invitation_expired.html", {"invitation": expired}, status=410)
        raise Http404("This invitation is unknown, used or expired.")
    existing = User.objects.filter(email=invitation.email).first()
    if request.user.is_authenticated and request.user.email != invitation.email:
        return render(request, "accounts/invitation_wrong_user.html", {"invitation": invitation}, status=403)
    form = None
    if request.user.is_authenticated:
        if request.method == "POST":
            services.accept_invitation(invitation, request.user)
            messages.success(request, _("Invitation accepted: %(role)s.") % {"role": invitation.describe()})
            return redirect("home")
    elif existing is None:
        form = AcceptInvitationForm(request.POST or None, email=invitation.email)
        if request.method == "POST" and form.is_valid():
            user = services.create_invited_user(
                invitation,
                form.cleaned_data["first_name"],
                form.cleaned_data["last_name"],
                form.cleaned_data["password"],
            )
            login(request, user, backend="ceds.accounts.backends.CedsAuthenticationBackend")
            messages.success(request, _("Welcome to CeDS."))
            return redirect("home")
    return render(
        request, "accounts/invitation_accept.html", {"invitation": invitation, "form": form, "existing": existing}
    )


@login_required
@require_http_methods(["GET", "POST"])
def me(request):
    form = LanguageForm(request.POST or None, initial={"language": request.user.language})
    if request.method == "POST" and form.is_valid():
        services.set_language(request.user, form.cleaned_data["language"])
        messages.success(request, _("Saved."))
        return redirect("me")
    city_roles = request.user.city_roles.select_related("city")
    region_roles = request.user.region_roles.select_related("region")
    return render(request, "accounts/me.html", {"form": form, "city_roles": city_roles, "region_roles": region_roles})


@require_POST
def switch_language(request):
    """The language switcher on every page: remembers the choice in a cookie and the profile."""
    language = request.POST.get("language", "")
    if language not in dict(settings.LANGUAGES):
        language = settings.LANGUAGE_CODE
    if request.user.is_authenticated:
        services.set_language(request.user, language)
    target = request.POST.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax")
    return response
