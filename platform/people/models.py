"""Isolated people, registered by coordinators with their consent. Sensitive data: every staff
read of a full record is written to `PersonAccessLog` (people.selectors / people.admin)."""

import uuid

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from volunteers.choices import SLOT_CHOICES, Interest, Language


class Need(models.TextChoices):
    VISITS = "visits", _("visits")
    CALLS = "calls", _("phone calls")
    OUTINGS = "outings", _("outings")
    ERRANDS = "errands", _("errands")


class Person(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        CLOSED = "closed", _("Closed")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    first_name = models.CharField(_("first name"), max_length=80)
    last_name = models.CharField(_("last name"), max_length=80)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    email = models.EmailField(_("e-mail address"), blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    district = models.CharField(_("district"), max_length=120, blank=True)
    latitude = models.FloatField(
        _("latitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.FloatField(
        _("longitude"),
        null=True,
        blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    needs = ArrayField(
        models.CharField(max_length=10, choices=Need.choices),
        default=list,
        blank=True,
        verbose_name=_("needs"),
    )
    preferred_times = ArrayField(
        models.CharField(max_length=16, choices=SLOT_CHOICES),
        default=list,
        blank=True,
        verbose_name=_("preferred times"),
    )
    interests = ArrayField(
        models.CharField(max_length=20, choices=Interest.choices),
        default=list,
        blank=True,
        verbose_name=_("interests"),
    )
    languages = ArrayField(
        models.CharField(max_length=8, choices=Language.choices),
        default=list,
        blank=True,
        verbose_name=_("languages"),
    )
    notes = models.TextField(_("notes"), blank=True)
    coordinator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_people",
        verbose_name=_("coordinator"),
    )
    max_volunteers = models.PositiveSmallIntegerField(
        _("maximum volunteers in the circle"),
        default=3,
        validators=[MinValueValidator(1), MaxValueValidator(20)],
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE, db_index=True
    )
    last_contact_at = models.DateTimeField(_("last contact"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ("first_name", "last_name", "id")
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.short_name

    @property
    def short_name(self) -> str:
        """First name and last-name initial: all a volunteer sees before a match is confirmed."""
        initial = f" {self.last_name[:1].upper()}." if self.last_name else ""
        return f"{self.first_name}{initial}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class ConsentRecord(models.Model):
    class Method(models.TextChoices):
        IN_PERSON = "in_person", _("In person, orally")
        WRITTEN = "written", _("Signed form")
        PHONE = "phone", _("By phone")
        REPRESENTATIVE = "representative", _("Through a legal representative or relative")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="consents")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    given_at = models.DateTimeField(_("given at"), default=timezone.now)
    method = models.CharField(_("how"), max_length=16, choices=Method.choices)
    purpose = models.TextField(_("purpose"))
    given_by = models.CharField(
        _("given by"),
        max_length=150,
        blank=True,
        help_text=_("Empty when the person consented themself."),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-given_at", "-id")
        verbose_name = _("consent record")
        verbose_name_plural = _("consent records")

    def __str__(self):
        return f"{self.person} · {self.get_method_display()}"


class PersonAccessLog(models.Model):
    """Audit trail: who read or changed a person's full record, when, and through which channel."""

    class Channel(models.TextChoices):
        API = "api", _("API")
        ADMIN = "admin", _("Administration")
        WEB = "web", _("Web app")

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed the full record")
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")

    person = models.ForeignKey(
        Person, null=True, on_delete=models.SET_NULL, related_name="access_logs"
    )
    person_public_id = models.UUIDField(_("person id"), db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("user"),
    )
    user_email = models.CharField(_("user e-mail"), max_length=254)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    action = models.CharField(
        _("action"), max_length=8, choices=Action.choices, default=Action.VIEW
    )
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ("-at", "-id")
        verbose_name = _("person access log entry")
        verbose_name_plural = _("person access log")

    def __str__(self):
        return f"{self.user_email} · {self.action} · {self.person_public_id}"
