"""The coordinator workspace (brand hosts, /coordination/). Thin views: parse the form, call one
domain service or selector, render. Protected objects come through `access_*` selectors (same 404
for missing and not-this-brand)."""

from __future__ import annotations

import csv

from accounts.models import User
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from people.models import PersonAccessLog

from coordination import selectors, services
from coordination.access import brand_admin_required, staff_required
from coordination.forms import (
    InviteForm,
    OutingForm,
    PersonForm,
    ProposeForm,
    ReasonForm,
    RoleForm,
    VettingStepForm,
    add_service_errors,
)


def _error_message(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- Dashboard ---------------------------------------------------------------------------------


@staff_required
def dashboard(request):
    counters = selectors.dashboard_counters()
    concerns = list(selectors.open_concerns()[:20])
    return render(
        request,
        "coordination/dashboard.html",
        {
            "counters": counters,
            "concerns": concerns,
            "ack_form": ReasonForm(),
            "nav": "dashboard",
        },
    )


@staff_required
@require_POST
def acknowledge_concern(request, public_id):
    visit = selectors.access_concern(request.user, public_id)
    form = ReasonForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        services.acknowledge_concern(acting_user=request.user, visit=visit, note=note)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request, _("Concern about %(name)s acknowledged.") % {"name": visit.person.short_name}
        )
    return redirect("coordination:dashboard")


# --- Impact ------------------------------------------------------------------------------------


def _chart(rows, attribute: str) -> list[dict]:
    values = [getattr(r, attribute) for r in rows]
    peak = max(values) if values and max(values) > 0 else 1
    return [
        {"month": r.month, "value": v, "percent": round(100 * v / peak, 1)}
        for r, v in zip(rows, values, strict=True)
    ]


@staff_required
def impact(request):
    rows = selectors.impact_by_month(12)
    charts = [
        {
            "id": "contacts",
            "title": _("Visits, calls and outings per month"),
            "bars": _chart(rows, "contacts"),
        },
        {
            "id": "circles",
            "title": _("Active circles (open at the end of the month)"),
            "bars": _chart(rows, "active_circles"),
        },
        {
            "id": "hours",
            "title": _("Volunteer hours per month"),
            "bars": _chart(rows, "volunteer_hours"),
        },
    ]
    return render(
        request, "coordination/impact.html", {"rows": rows, "charts": charts, "nav": "impact"}
    )


@staff_required
def impact_csv(request):
    rows = selectors.impact_by_month(12)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="impact.csv"'
    writer = csv.writer(response)
    writer.writerow(
        ["month", "visits", "calls", "outings", "contacts", "volunteer_hours", "active_circles"]
    )
    for row in rows:
        writer.writerow(
            [
                row.month.strftime("%Y-%m"),
                row.visits,
                row.calls,
                row.outings,
                row.contacts,
                f"{row.volunteer_hours:.1f}",
                row.active_circles,
            ]
        )
    return response


# --- People ------------------------------------------------------------------------------------

PEOPLE_FILTERS = {
    "without_volunteer": selectors.people_without_volunteer,
    "not_contacted": selectors.people_not_contacted,
}


@staff_required
def people(request):
    query = request.GET.get("q", "")
    show = request.GET.get("show", "")
    people_qs = selectors.people_list(query)
    if show in PEOPLE_FILTERS:
        people_qs = people_qs.filter(pk__in=PEOPLE_FILTERS[show]().values("pk"))
    return render(
        request,
        "coordination/people.html",
        {
            "people": list(people_qs[:200]),
            "query": query,
            "show": show if show in PEOPLE_FILTERS else "",
            "nav": "people",
        },
    )


@staff_required
def person_new(request):
    from people.services import register_person

    form = PersonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            person = register_person(
                acting_user=request.user, consent=form.consent_data(), **form.person_data()
            )
        except ValidationError as exc:
            add_service_errors(form, exc, prefix_map=PersonForm.ERROR_MAP)
        else:
            messages.success(request, _("%(name)s is registered.") % {"name": person.full_name})
            return redirect("coordination:person", public_id=person.public_id)
    return render(request, "coordination/person_form.html", {"form": form, "nav": "people"})


@staff_required
def person_detail(request, public_id):
    from people.selectors import access_person

    person = access_person(request.user, public_id, channel=PersonAccessLog.Channel.WEB)
    return render(
        request,
        "coordination/person.html",
        {
            "person": person,
            **selectors.person_overview(person),
            "nav": "people",
        },
    )


@staff_required
def person_match(request, public_id):
    from matching.selectors import rank_candidates
    from matching.services import propose
    from people.selectors import access_person

    person = access_person(request.user, public_id, channel=PersonAccessLog.Channel.WEB)
    candidates = rank_candidates(person, limit=20)
    form = ProposeForm(request.POST or None, candidates=candidates)
    if request.method == "POST" and form.is_valid():
        chosen = set(form.cleaned_data["volunteers"])
        volunteers = list(
            User.objects.filter(public_id__in=chosen, role=User.Role.VOLUNTEER, is_active=True)
        )
        try:
            proposals = propose(
                acting_user=request.user,
                person=person,
                volunteers=volunteers,
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("%(count)d proposal(s) sent.") % {"count": len(proposals)})
            return redirect("coordination:proposals")
    return render(
        request,
        "coordination/match.html",
        {
            "person": person,
            "candidates": candidates,
            "form": form,
            "nav": "people",
        },
    )


@staff_required
def volunteers(request):
    show = request.GET.get("show")
    idle, expiring = show == "idle", show == "check_expiring"
    return render(
        request,
        "coordination/volunteers.html",
        {
            "volunteers": list(
                selectors.volunteers_list(idle_only=idle, check_expiring=expiring)[:300]
            ),
            "idle": idle,
            "expiring": expiring,
            "check_notice_days": selectors.check_notice_days() if expiring else None,
            "nav": "volunteers",
        },
    )


# --- Proposals ---------------------------------------------------------------------------------


@staff_required
def proposals(request):
    return render(
        request,
        "coordination/proposals.html",
        {
            "proposals": list(selectors.open_proposals()[:200]),
            "nav": "proposals",
        },
    )


@staff_required
@require_POST
def proposal_action(request, public_id, action):
    from matching.selectors import access_proposal
    from matching.services import confirm, withdraw

    proposal = access_proposal(request.user, public_id)
    try:
        if action == "confirm":
            confirm(proposal=proposal, acting_user=request.user)
            messages.success(
                request,
                _("%(volunteer)s now visits %(person)s.")
                % {
                    "volunteer": proposal.volunteer.get_full_name(),
                    "person": proposal.person.short_name,
                },
            )
        elif action == "withdraw":
            withdraw(proposal=proposal, acting_user=request.user)
            messages.success(request, _("Proposal withdrawn."))
        else:
            raise Http404
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    return redirect("coordination:proposals")


# --- Vetting -----------------------------------------------------------------------------------


@staff_required
def vetting(request):
    return render(
        request,
        "coordination/vetting.html",
        {
            "rows": selectors.vetting_queue(),
            "form": VettingStepForm(),
            "nav": "vetting",
        },
    )


@staff_required
@require_POST
def vetting_complete(request, user_id, step_id):
    from volunteers.models import VettingStep
    from volunteers.selectors import access_profile
    from volunteers.services import complete_step

    profile = access_profile(request.user, user_id)  # by the volunteer's (user) public id
    step = VettingStep.objects.filter(public_id=step_id, is_active=True).first()
    if step is None:
        raise Http404
    form = VettingStepForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the date."))
        return redirect("coordination:vetting")
    try:
        complete_step(
            profile=profile,
            step=step,
            acting_user=request.user,
            expires_on=form.cleaned_data["expires_on"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("“%(step)s” done for %(name)s.")
            % {"step": step.name, "name": profile.user.get_full_name()},
        )
    return redirect("coordination:vetting")


@staff_required
@require_POST
def vetting_status(request, user_id):
    from volunteers.models import VolunteerProfile
    from volunteers.selectors import access_profile
    from volunteers.services import set_status

    profile = access_profile(request.user, user_id)  # by the volunteer's (user) public id
    status = request.POST.get("status", "")
    if status not in (
        VolunteerProfile.Status.REJECTED,
        VolunteerProfile.Status.SUSPENDED,
        VolunteerProfile.Status.IN_PROGRESS,
    ):
        raise Http404
    try:
        set_status(profile=profile, acting_user=request.user, status=status)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("%(name)s: %(status)s.")
            % {"name": profile.user.get_full_name(), "status": profile.get_status_display()},
        )
    return redirect("coordination:vetting")


# --- Outings -----------------------------------------------------------------------------------


def _outings_enabled(request) -> None:
    from themes.flags import flag_enabled

    if not flag_enabled("outings", getattr(request, "tenant", None)):
        raise Http404


@staff_required
def outings(request):
    from django.utils import timezone
    from outings.selectors import outings_for
    from outings.services import create_outing

    _outings_enabled(request)
    form = OutingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outing = create_outing(acting_user=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Outing “%(title)s” created.") % {"title": outing.title})
            return redirect("coordination:outing", public_id=outing.public_id)
    upcoming = outings_for(request.user).filter(ends_at__gte=timezone.now())[:100]
    return render(
        request,
        "coordination/outings.html",
        {"outings": list(upcoming), "form": form, "nav": "outings"},
    )


@staff_required
def outing_detail(request, public_id):
    from outings.selectors import access_outing, signups_for

    _outings_enabled(request)
    outing = access_outing(request.user, public_id)
    signups = list(signups_for(request.user, outing).filter(cancelled_at__isnull=True))
    return render(
        request,
        "coordination/outing.html",
        {
            "outing": outing,
            "signups": signups,
            "people": list(selectors.people_list().filter(status="active")[:300]),
            "nav": "outings",
        },
    )


@staff_required
@require_POST
def outing_cancel(request, public_id):
    """Call the outing off: every participant is told (outings.services.cancel_outing)."""
    from outings.selectors import access_outing
    from outings.services import cancel_outing

    _outings_enabled(request)
    outing = access_outing(request.user, public_id)
    try:
        cancel_outing(
            acting_user=request.user, outing=outing, reason=request.POST.get("reason", "")
        )
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(
            request,
            _("“%(title)s” is cancelled; its participants are being told.")
            % {"title": outing.title},
        )
    return redirect("coordination:outing", public_id=outing.public_id)


@staff_required
@require_POST
def outing_register_person(request, public_id):
    from outings.selectors import access_outing, person_to_register
    from outings.services import sign_up

    _outings_enabled(request)
    outing = access_outing(request.user, public_id)
    try:
        person = person_to_register(request.user, request.POST.get("person", ""))
        sign_up(acting_user=request.user, outing=outing, person=person)
    except (ValidationError, ValueError) as exc:
        messages.error(
            request,
            _error_message(exc) if isinstance(exc, ValidationError) else _("Unknown person."),
        )
    else:
        messages.success(
            request, _("%(name)s is registered for the outing.") % {"name": person.short_name}
        )
    return redirect("coordination:outing", public_id=outing.public_id)


@staff_required
@require_POST
def outing_cancel_signup(request, public_id, signup_id):
    from outings.selectors import access_outing, access_signup
    from outings.services import cancel_signup

    _outings_enabled(request)
    outing = access_outing(request.user, public_id)
    signup = access_signup(request.user, signup_id)
    if signup.outing_id != outing.pk:
        raise Http404
    try:
        cancel_signup(acting_user=request.user, signup=signup)
    except ValidationError as exc:
        messages.error(request, _error_message(exc))
    else:
        messages.success(request, _("Sign-up cancelled."))
    return redirect("coordination:outing", public_id=outing.public_id)


# --- Members (brand admins) --------------------------------------------------------------------


@brand_admin_required
def members(request):
    from accounts.services import invite_member

    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user, _invitation, _url = invite_member(
                acting_user=request.user,
                email=form.cleaned_data["email"],
                full_name=form.cleaned_data["full_name"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Invitation sent to %(email)s.") % {"email": user.email})
            return redirect("coordination:members")
    return render(
        request,
        "coordination/members.html",
        {
            "members": list(selectors.members_list()),
            "form": form,
            "role_choices": RoleForm.base_fields["role"].choices,
            "nav": "members",
        },
    )


@brand_admin_required
@require_POST
def member_role(request, public_id):
    from accounts.services import change_role

    member = selectors.access_member(public_id)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            change_role(acting_user=request.user, user=member, role=form.cleaned_data["role"])
        except ValidationError as exc:
            messages.error(request, _error_message(exc))
        else:
            messages.success(
                request,
                _("%(name)s is now %(role)s.")
                % {"name": member.get_full_name(), "role": member.get_role_display()},
            )
    else:
        messages.error(request, _("Choose a role."))
    return redirect("coordination:members")


@brand_admin_required
@require_POST
def member_active(request, public_id):
    member = selectors.access_member(public_id)
    active = request.POST.get("active") == "1"
    try:
        services.set_member_active(acting_user=request.user, user=member, active=active)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(
            request,
            (_("%(name)s is reactivated.") if active else _("%(name)s is deactivated."))
            % {"name": member.get_full_name()},
        )
    return redirect("coordination:members")
