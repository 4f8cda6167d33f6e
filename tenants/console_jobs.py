"""Provisioning from the operator console, in the background with visible progress.

The form's input is validated at once (field errors on the form, same messages as the CLI and the
API); a valid request becomes a *job*: its state lives in the cache (public schema keys), a Celery
task (`tenants.console_provision`) runs `tenants.services.provision_brand`, and the job page polls
the state until the brand is ready or the provisioning failed. If the broker cannot be reached the
job runs in the request instead: provisioning never silently stays queued.
"""

from __future__ import annotations

import logging
import uuid

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction

from tenants import services

logger = logging.getLogger("entraide.provisioning")

JOB_TTL_SECONDS = 24 * 3600
QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"


def _key(job_id: str) -> str:
    return f"console:provision:{job_id}"


def get_job(job_id) -> dict | None:
    try:
        job_id = str(uuid.UUID(str(job_id)))
    except ValueError:
        return None
    return cache.get(_key(job_id))


def _set(job_id: str, **state) -> dict:
    job = {**(cache.get(_key(job_id)) or {}), **state, "id": job_id}
    cache.set(_key(job_id), job, JOB_TTL_SECONDS)
    return job


def validate_request(*, slug: str, name: str, admin_email: str, domains: list[str]) -> None:
    """Every problem at once, field by field (raises ValidationError)."""
    services.check_available(
        services.prepare_brand_request(
            slug=slug, name=name, admin_email=admin_email, domains=domains
        )
    )


def start_provisioning(
    *, slug: str, name: str, admin_email: str, admin_name: str = "", domains=(), acting_user=None
) -> str:
    """Validate, record a queued job and enqueue it when the request commits. Returns the job id."""
    domains = list(domains)
    validate_request(slug=slug, name=name, admin_email=admin_email, domains=domains)
    job_id = str(uuid.uuid4())
    request = {
        "slug": slug.strip().lower(),
        "name": name.strip(),
        "admin_email": admin_email.strip().lower(),
        "admin_name": admin_name.strip(),
        "domains": domains,
        "operator": getattr(acting_user, "email", ""),
    }
    _set(job_id, state=QUEUED, slug=request["slug"], name=request["name"], errors={}, brand=None)
    transaction.on_commit(lambda: _enqueue(job_id, request))
    return job_id


def _enqueue(job_id: str, request: dict) -> None:
    from tenants.tasks import console_provision

    try:
        console_provision.apply_async(args=[job_id, request], queue="default", retry=False)
    except Exception:  # broker unreachable: do it now rather than leave the job queued forever
        logger.warning("broker unreachable: provisioning job %s runs in the request", job_id)
        run_job(job_id, request)


def run_job(job_id: str, request: dict) -> dict:
    """The task's body: provision the brand and record the outcome on the job."""
    _set(job_id, state=RUNNING)
    try:
        result = services.provision_brand(
            slug=request["slug"],
            name=request["name"],
            admin_email=request["admin_email"],
            admin_name=request.get("admin_name", ""),
            domains=request.get("domains", []),
        )
    except ValidationError as exc:
        errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
        return _set(job_id, state=FAILED, errors=errors)
    except Exception:
        logger.exception("provisioning job %s failed", job_id)
        return _set(
            job_id, state=FAILED, errors={"__all__": ["unexpected error: see the server logs"]}
        )
    logger.info(
        "provisioning job %s done (brand %s, for %s)",
        job_id,
        result.association.slug,
        request.get("operator"),
    )
    return _set(
        job_id,
        state=DONE,
        brand=str(result.association.public_id),
        method=result.method,
        duration_s=round(result.duration_s, 3),
    )
