"""Users log in with their e-mail. The table exists in every schema: operators in `public`,
members of a brand in that brand's schema. The same e-mail in two brands is two accounts."""

import hashlib
import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email, password, **extra):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault(
            "is_staff", extra.get("role") in (User.Role.BRAND_ADMIN, User.Role.COORDINATOR)
        )
        return self._create(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        extra.setdefault("role", User.Role.OPERATOR)
        return self._create(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    class Role(models.TextChoices):
        VOLUNTEER = "volunteer", _("Volunteer")
        COORDINATOR = "coordinator", _("Coordinator")
        BRAND_ADMIN = "brand_admin", _("Brand administrator")
        OPERATOR = "operator", _("Platform operator")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("e-mail address"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VOLUNTEER)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("staff status"), default=False)
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        indexes = [
            # Tiny: lets the matching query exclude deactivated accounts without scanning users.
            models.Index(
                fields=["id"], condition=models.Q(is_active=False), name="user_inactive_idx"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    def save(self, *args, **kwargs):
        # E-mail addresses are compared case-insensitively: store them lower-cased.
        self.email = (self.email or "").strip().lower()
        super().save(*args, **kwargs)

    def get_full_name(self):
        return self.full_name or self.email

    def get_short_name(self):
        return (self.full_name or self.email).split(" ")[0]

    @property
    def is_operator(self) -> bool:
        """Operators are users of the public schema with the operator role (or superusers)."""
        from django.db import connection
        from django_tenants.utils import get_public_schema_name

        return (
            self.is_active
            and connection.schema_name == get_public_schema_name()
            and (self.role == self.Role.OPERATOR or self.is_superuser)
        )


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class Invitation(models.Model):
    """A link that lets a person set their password. Only the token's hash is stored."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} ({self.created_at:%Y-%m-%d})" if self.created_at else str(self.user)

    def path(self, token: str) -> str:
        from django.urls import reverse

        return reverse(
            "accounts:accept_invitation", kwargs={"token": token}, urlconf="entraide.urls_tenant"
        )

    @property
    def is_usable(self) -> bool:
        return self.accepted_at is None and self.expires_at > timezone.now()


class ApiToken(models.Model):
    """A personal API token (Authorization: Token <key>). Only the SHA-256 of the key is stored;
    the table lives in each brand's schema, so a token only ever opens the brand it was made in."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100, blank=True)
    prefix = models.CharField(max_length=8, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ("-created_at", "-id")

    def __str__(self):
        return f"{self.prefix}… ({self.user})"
