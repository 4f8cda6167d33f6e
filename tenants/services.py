"""Writes on brands. Every caller (CLI, operator API, operator console, demo seeding) goes through
these functions; see ../shared/DESIGN.md "Code conventions"."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tenants.utils import schema_context

from tenants import schemas, validation
from tenants.models import Association, Domain

logger = logging.getLogger("entraide.provisioning")


@dataclass(frozen=True)
class ProvisionResult:
    association: Association
    admin_email: str
    invitation_url: str
    method: str
    duration_s: float


def _normalise_domains(domains: Iterable[str]) -> list[str]:
    seen: list[str] = []
    for host in domains:
        host = (host or "").strip().lower().rstrip(".")
        if host and host not in seen:
            seen.append(host)
    return seen


def validate_brand_input(*, slug: str, name: str, admin_email: str, domains: Sequence[str]) -> None:
    """Raise one ValidationError that lists every problem, field by field."""
    errors: dict[str, list[str]] = {}
    for field, messages in (
        ("slug", validation.slug_errors(slug)),
        ("name", validation.name_errors(name)),
        ("admin_email", validation.email_errors(admin_email)),
    ):
        if messages:
            errors[field] = messages
    domain_messages = [
        m for host in domains for m in validation.custom_domain_errors(host, slug=slug)
    ]
    if domain_messages:
        errors["domains"] = domain_messages
    if errors:
        raise ValidationError(errors)


@dataclass(frozen=True)
class BrandRequest:
    """What an operator asked for, normalised and validated (not yet checked for availability)."""

    slug: str
    name: str
    admin_email: str
    hosts: tuple[str, ...]  # <slug>.<BASE_DOMAIN> first, then the custom domains

    @property
    def schema_name(self) -> str:
        return validation.schema_name_for(self.slug)


def prepare_brand_request(
    *, slug: str, name: str, admin_email: str, domains: Sequence[str] = ()
) -> BrandRequest:
    """Normalise and validate; raises one ValidationError listing every problem, field by field."""
    slug = (slug or "").strip().lower()
    name = (name or "").strip()
    admin_email = (admin_email or "").strip().lower()
    custom = _normalise_domains(domains)
    validate_brand_input(slug=slug, name=name, admin_email=admin_email, domains=custom)
    hosts = _normalise_domains([f"{slug}.{settings.BASE_DOMAIN}", *custom])
    return BrandRequest(slug=slug, name=name, admin_email=admin_email, hosts=tuple(hosts))


def check_available(request: BrandRequest) -> None:
    """The slug (hence the schema: the mapping is one-to-one) and every domain are free.
    provision_brand checks again under the provisioning lock; callers may check early to answer
    a form at once."""
    if Association.objects.filter(slug=request.slug).exists() or schemas.schema_exists(
        request.schema_name
    ):
        raise ValidationError(
            {
                "slug": [
                    _("A brand with the slug “%(slug)s” already exists.") % {"slug": request.slug}
                ]
            }
        )
    taken = list(Domain.objects.filter(domain__in=request.hosts).values_list("domain", flat=True))
    if taken:
        raise ValidationError(
            {
                "domains": [
                    _("The domain “%(host)s” is already in use by another brand.") % {"host": h}
                    for h in taken
                ]
            }
        )


# The steps of provisioning, in order. Tests inject a failure into each one and check that
# nothing is left behind: the whole sequence runs in one transaction (PostgreSQL DDL is
# transactional, so even the schema rename/clone is rolled back).
def _step_create_schema(ctx: dict) -> None:
    ctx["method"] = schemas.create_schema_for_brand(ctx["schema_name"], use_pool=ctx["use_pool"])


def _step_create_association(ctx: dict) -> None:
    ctx["association"] = Association.objects.create(
        schema_name=ctx["schema_name"],
        slug=ctx["slug"],
        name=ctx["name"],
        status=Association.Status.ACTIVE,
        status_changed_at=timezone.now(),
    )


def _step_create_domains(ctx: dict) -> None:
    Domain.objects.bulk_create(
        [
            Domain(domain=host, tenant=ctx["association"], is_primary=(index == 0))
            for index, host in enumerate(ctx["hosts"])
        ]
    )


def _step_create_admin(ctx: dict) -> None:
    from accounts.models import User
    from accounts.services import create_invitation

    with schema_context(ctx["schema_name"]):
        admin = User.objects.create_user(
            email=ctx["admin_email"], full_name=ctx["admin_name"], role=User.Role.BRAND_ADMIN
        )
        ctx["invitation"] = create_invitation(user=admin, association=ctx["association"])


def _step_apply_theme(ctx: dict) -> None:
    """Hook for brand customisation at creation (themes/ registers its service here)."""
    for hook in PROVISIONING_HOOKS:
        hook(association=ctx["association"], options=ctx["options"])


PROVISIONING_STEPS = (
    ("create_schema", _step_create_schema),
    ("create_association", _step_create_association),
    ("create_domains", _step_create_domains),
    ("create_admin", _step_create_admin),
    ("apply_theme", _step_apply_theme),
)
# Callables `hook(*, association, options)` run inside the provisioning transaction, in the
# public schema; other apps (themes, worker) append to this list in their AppConfig.ready().
PROVISIONING_HOOKS: list = []


def provision_brand(
    *,
    slug: str,
    name: str,
    admin_email: str,
    domains: Sequence[str] = (),
    admin_name: str = "",
    use_pool: bool = True,
    send_invitation: bool = True,
    acting_user=None,
    **options,
) -> ProvisionResult:
    """Create a brand in one step: schema, tenant row, domains, first admin and invitation.

    Atomic: a failure at any step leaves no schema, no domain row and no tenant row. Concurrent
    calls are serialised by a PostgreSQL advisory lock.
    """
    started = time.perf_counter()
    request = prepare_brand_request(slug=slug, name=name, admin_email=admin_email, domains=domains)
    slug, admin_email = request.slug, request.admin_email

    ctx = {
        "slug": slug,
        "name": request.name,
        "admin_email": admin_email,
        "admin_name": admin_name.strip(),
        "schema_name": request.schema_name,
        "hosts": list(request.hosts),
        "use_pool": use_pool,
        "options": options,
    }
    connection.set_schema_to_public()
    try:
        with transaction.atomic():
            schemas.take_provisioning_lock()
            check_available(request)
            for _name, step in PROVISIONING_STEPS:
                step(ctx)
            association = ctx["association"]
            invitation, token = ctx["invitation"]
            invitation_url = association.url(invitation.path(token))
            if send_invitation:
                # Written to the notification outbox in this transaction, sent after commit.
                _send_invitation(association.pk, invitation.pk, invitation_url)
            if use_pool:
                transaction.on_commit(_request_pool_refill)
    finally:
        connection.set_schema_to_public()
    duration = time.perf_counter() - started
    logger.info(
        "provisioned brand %s (schema %s) by %s in %.3fs%s",
        slug,
        ctx["schema_name"],
        ctx["method"],
        duration,
        f" for operator {acting_user.email}" if acting_user is not None else "",
    )
    return ProvisionResult(
        association=association,
        admin_email=admin_email,
        invitation_url=invitation_url,
        method=ctx["method"],
        duration_s=duration,
    )


def _send_invitation(association_id: int, invitation_id: int, url: str) -> None:
    from accounts.services import send_invitation_email

    association = Association.objects.get(pk=association_id)
    with schema_context(association.schema_name):
        send_invitation_email(association=association, invitation_id=invitation_id, url=url)


def _request_pool_refill() -> None:
    """Refill the spare pool in the background; never in the request that claimed a spare."""
    try:
        from worker.tasks import refill_spare_pool

        refill_spare_pool.apply_async(queue="default", retry=False)
    except Exception:  # broker down: the beat job refills later
        logger.warning("could not enqueue a spare-pool refill; the periodic job will do it")


def set_brand_status(*, association: Association, status: str, acting_user=None) -> Association:
    if association.is_public:
        raise ValidationError(_("The public site is not a brand."))
    if status not in Association.Status.values:
        raise ValidationError(_("Unknown status “%(status)s”.") % {"status": status})
    Association.objects.filter(pk=association.pk).update(
        status=status, status_changed_at=timezone.now(), updated_at=timezone.now()
    )
    association.refresh_from_db()
    logger.info(
        "brand %s is now %s%s",
        association.slug,
        status,
        f" (by {acting_user.email})" if acting_user is not None else "",
    )
    return association


def suspend_brand(*, association: Association, acting_user=None) -> Association:
    return set_brand_status(
        association=association, status=Association.Status.SUSPENDED, acting_user=acting_user
    )


def reactivate_brand(*, association: Association, acting_user=None) -> Association:
    return set_brand_status(
        association=association, status=Association.Status.ACTIVE, acting_user=acting_user
    )


def add_domain(*, association: Association, domain: str, acting_user=None) -> Domain:
    host = (domain or "").strip().lower().rstrip(".")
    errors = validation.custom_domain_errors(host, slug=association.slug)
    if errors:
        raise ValidationError({"domain": errors})
    with transaction.atomic():
        obj, created = Domain.objects.get_or_create(
            domain=host, defaults={"tenant": association, "is_primary": False}
        )
        if not created:
            raise ValidationError(
                {
                    "domain": [
                        _("The domain “%(host)s” is already in use by another brand.")
                        % {"host": host}
                    ]
                }
            )
    return obj


def ensure_public_tenant() -> Association:
    """The public schema's tenant row and the bare base domain (the operator console)."""
    public, _created = Association.objects.get_or_create(
        schema_name="public",
        defaults={"slug": "public", "name": "Entraide", "status": Association.Status.ACTIVE},
    )
    Domain.objects.get_or_create(
        domain=settings.BASE_DOMAIN, defaults={"tenant": public, "is_primary": True}
    )
    return public
