"""The tenant: one association (a *brand*) per PostgreSQL schema."""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_tenants.models import DomainMixin, TenantMixin


class AssociationQuerySet(models.QuerySet):
    def brands(self):
        """Every real brand: not the public schema."""
        from django_tenants.utils import get_public_schema_name

        return self.exclude(schema_name=get_public_schema_name())

    def active(self):
        return self.brands().filter(status=Association.Status.ACTIVE)


class Association(TenantMixin):
    class Status(models.TextChoices):
        PROVISIONING = "provisioning", _("Provisioning")
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        ARCHIVED = "archived", _("Archived")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    slug = models.SlugField(_("slug"), max_length=63, unique=True)
    name = models.CharField(_("name"), max_length=120)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=Status.choices,
        default=Status.PROVISIONING,
        db_index=True,
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    # Schemas are created by tenants.services.provision_brand (clone or spare-pool claim) inside
    # one transaction, never implicitly by save().
    auto_create_schema = False
    auto_drop_schema = False

    objects = AssociationQuerySet.as_manager()

    class Meta:
        verbose_name = _("brand")
        verbose_name_plural = _("brands")
        ordering = ["slug"]

    def __str__(self):
        return f"{self.name} ({self.slug})"

    @property
    def is_public(self) -> bool:
        from django_tenants.utils import get_public_schema_name

        return self.schema_name == get_public_schema_name()

    @property
    def is_serving(self) -> bool:
        return self.is_public or self.status == self.Status.ACTIVE

    def url(self, path: str = "/") -> str:
        from tenants.urls_util import brand_url

        return brand_url(self, path)


class Domain(DomainMixin):
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("domain")
        verbose_name_plural = _("domains")

    def __str__(self):
        return self.domain
