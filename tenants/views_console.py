"""The operator console at the bare base domain (public schema). Operators only: anonymous
visitors are sent to /accounts/login/, anyone else gets 403. Thin views over tenants.services."""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tenants import console, services
from tenants.models import Association


def operator_required(view):
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not getattr(user, "is_operator", False):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapped


class ProvisionForm(forms.Form):
    # Not `required` here: tenants.services validates every field at once, so the operator sees all
    # the problems (empty ones included) in one round trip, with the same messages as the CLI/API.
    name = forms.CharField(label=gettext_lazy("Name"), max_length=120, required=False)
    slug = forms.CharField(
        label=gettext_lazy("Address (slug)"),
        max_length=63,
        required=False,
        help_text=gettext_lazy("Lower-case letters, digits and hyphens: the brand's sub-domain."),
    )
    admin_email = forms.CharField(
        label=gettext_lazy("First administrator's e-mail"), max_length=254, required=False
    )
    admin_name = forms.CharField(
        label=gettext_lazy("First administrator's name"), max_length=150, required=False
    )
    domains = forms.CharField(
        label=gettext_lazy("Custom domains (optional)"),
        required=False,
        help_text=gettext_lazy("One per line."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def domain_list(self) -> list[str]:
        return [d.strip() for d in self.cleaned_data.get("domains", "").split() if d.strip()]


class DomainForm(forms.Form):
    domain = forms.CharField(label=gettext_lazy("Custom domain"), max_length=253)


def _service_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for message in errors:
                form.add_error(field if field in form.fields else None, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


@operator_required
def brands(request):
    return render(request, "tenants/console/brands.html", {"rows": console.brands_with_health()})


@operator_required
def provision(request):
    from tenants.console_jobs import start_provisioning

    form = ProvisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            job_id = start_provisioning(
                slug=form.cleaned_data["slug"],
                name=form.cleaned_data["name"],
                admin_email=form.cleaned_data["admin_email"],
                admin_name=form.cleaned_data["admin_name"],
                domains=form.domain_list(),
                acting_user=request.user,
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            return redirect("console:job", job_id=job_id)
    return render(request, "tenants/console/provision.html", {"form": form})


@operator_required
def provision_job(request, job_id):
    """Progress of a provisioning job; the page refreshes itself until the job is over."""
    from django.http import Http404

    from tenants import console_jobs

    job = console_jobs.get_job(job_id)
    if job is None:
        raise Http404
    brand = None
    if job["state"] == console_jobs.DONE:
        brand = Association.objects.brands().filter(public_id=job["brand"]).first()
    labels = {name: field.label for name, field in ProvisionForm.base_fields.items()}
    errors = [
        (labels.get(field, ""), messages_) for field, messages_ in (job.get("errors") or {}).items()
    ]
    template = (
        "tenants/console/_job.html" if request.GET.get("fragment") else "tenants/console/job.html"
    )
    return render(
        request,
        template,
        {
            "job": job,
            "brand": brand,
            "errors": errors,
            "running": job["state"] in (console_jobs.QUEUED, console_jobs.RUNNING),
        },
    )


def _readiness(brand: Association) -> list[dict]:
    """The steps of a brand's provisioning and whether each is done (read from the database)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [brand.schema_name]
        )
        schema_ok = cursor.fetchone() is not None
    domains = list(brand.domains.all())
    return [
        {"label": _("Database schema created"), "done": schema_ok},
        {"label": _("Address reserved"), "done": bool(domains)},
        {
            "label": _("Brand active"),
            "done": brand.status in (Association.Status.ACTIVE, Association.Status.SUSPENDED),
        },
    ]


@operator_required
def brand_detail(request, public_id):
    brand = console.access_brand(public_id)
    steps = _readiness(brand)
    ready = all(s["done"] for s in steps)
    context = {
        "brand": brand,
        "steps": steps,
        "ready": ready,
        "domain_form": DomainForm(),
        "health": console.health_for([brand]).get(brand.pk),
    }
    template = (
        "tenants/console/_status.html"
        if request.GET.get("fragment")
        else "tenants/console/brand.html"
    )
    return render(request, template, context)


@operator_required
@require_POST
def brand_status(request, public_id, action):
    brand = console.access_brand(public_id)
    if action == "suspend":
        services.suspend_brand(association=brand, acting_user=request.user)
        messages.success(request, _("%(name)s is suspended.") % {"name": brand.name})
    elif action == "reactivate":
        services.reactivate_brand(association=brand, acting_user=request.user)
        messages.success(request, _("%(name)s is active again.") % {"name": brand.name})
    else:
        raise PermissionDenied
    return redirect("console:brand", public_id=brand.public_id)


@operator_required
def brand_domain(request, public_id):
    brand = console.access_brand(public_id)
    form = DomainForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            domain = services.add_domain(
                association=brand, domain=form.cleaned_data["domain"], acting_user=request.user
            )
        except ValidationError as exc:
            _service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(domain)s now serves %(name)s.")
                % {"domain": domain.domain, "name": brand.name},
            )
            return redirect("console:brand", public_id=brand.public_id)
    steps = _readiness(brand)
    return render(
        request,
        "tenants/console/brand.html",
        {
            "brand": brand,
            "steps": steps,
            "ready": all(s["done"] for s in steps),
            "domain_form": form,
            "health": console.health_for([brand]).get(brand.pk),
        },
        status=400 if request.method == "POST" else 200,
    )
