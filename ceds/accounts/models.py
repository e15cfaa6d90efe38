import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, secretariat_role=User.SecretariatRole.ADMIN)
        return self._create(email, password, **extra)


class User(AbstractUser):
    class SecretariatRole(models.TextChoices):
        NONE = "", _("None")
        ADMIN = "admin", _("Secretariat admin")
        ANALYST = "analyst", _("Secretariat analyst")

    username = None
    email = models.EmailField(_("e-mail address"), unique=True)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, blank=True)
    secretariat_role = models.CharField(
        _("secretariat role"), max_length=16, choices=SecretariatRole.choices, blank=True, default=""
    )
    is_demo = models.BooleanField(
        _("demo account"), default=False, help_text=_("Demo accounts can sign in only when DEBUG is on.")
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    @property
    def is_secretariat(self) -> bool:
        return bool(self.secretariat_role)


class CityRole(models.Model):
    class Role(models.TextChoices):
        COORDINATOR = "coordinator", _("Coordinator")
        CONTRIBUTOR = "contributor", _("Contributor")
        VIEWER = "viewer", _("Viewer")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="city_roles")
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city", "role", "user"]
        verbose_name = _("city role")
        verbose_name_plural = _("city roles")
        constraints = [models.UniqueConstraint(fields=["user", "city"], name="city_role_one_per_user_and_city")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()}, {self.city}"


class RegionRole(models.Model):
    """A regional office coordinator follows every city of a region."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="region_roles")
    region = models.ForeignKey("cities.Region", on_delete=models.CASCADE, related_name="coordinators")
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("regional coordinator")
        verbose_name_plural = _("regional coordinators")
        constraints = [models.UniqueConstraint(fields=["user", "region"], name="region_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.region}"


def _hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True, revoked=False, expires_at__gt=timezone.now())

    def for_token(self, token: str):
        return self.pending().filter(token_hash=_hash_token(token)).first()

    def expired_for_token(self, token: str):
        """The invitation behind a link that has expired (not one used or withdrawn)."""
        return self.filter(
            accepted_at__isnull=True, revoked=False, expires_at__lte=timezone.now(), token_hash=_hash_token(token)
        ).first()

    def awaiting(self):
        """Not accepted nor withdrawn: pending or expired, what an inviter may send again."""
        return self.filter(accepted_at__isnull=True, revoked=False)


class Invitation(models.Model):
    """An e-mailed invitation to take a role. Only the token's hash is stored."""

    class Kind(models.TextChoices):
        CITY = "city", _("City role")
        REGION = "region", _("Regional coordinator")
        SECRETARIAT = "secretariat", _("Secretariat")

    email = models.EmailField(_("e-mail address"))
    kind = models.CharField(max_length=16, choices=Kind.choices)
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, null=True, blank=True, related_name="invitations")
    city_role = models.CharField(_("role"), max_length=16, choices=CityRole.Role.choices, blank=True)
    region = models.ForeignKey("cities.Region", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    secretariat_role = models.CharField(max_length=16, choices=User.SecretariatRole.choices, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)
    # A coordinator handing the role over to someone invited: they step down to `hand_over_keep_as`
    # (or leave the city when it is empty) only once the invitation is accepted, so the city is
    # never left without a coordinator while the invitation waits.
    hand_over_from = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    hand_over_keep_as = models.CharField(max_length=16, choices=CityRole.Role.choices, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind="city", city__isnull=False) & ~models.Q(city_role="")
                    | models.Q(kind="region", region__isnull=False)
                    | models.Q(kind="secretariat") & ~models.Q(secretariat_role="")
                ),
                name="invitation_target_matches_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} ({self.describe()})"

    def describe(self) -> str:
        if self.kind == self.Kind.CITY:
            return f"{self.get_city_role_display()}, {self.city}"
        if self.kind == self.Kind.REGION:
            return f"{_('Regional coordinator')}, {self.region}"
        return str(self.get_secretariat_role_display())

    @classmethod
    def new_token(cls) -> tuple[str, str]:
        token = secrets.token_urlsafe(32)
        return token, _hash_token(token)

    @staticmethod
    def default_expiry():
        return timezone.now() + timedelta(days=settings.CEDS_INVITATION_DAYS)

    @property
    def is_expired(self) -> bool:
        return self.accepted_at is None and not self.revoked and self.expires_at <= timezone.now()
