"""The volunteer web app: thin views (parse, call one service or selector, render).

Pages are server-rendered and work without JavaScript; `static/webapp/app.js` adds the offline
visit queue and the web-push opt-in on top (progressive enhancement).
"""

from __future__ import annotations

import json
import uuid

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from themes.flags import flag_enabled, require_feature
from themes.wording import term
from webapp import forms, selectors, services

TEXT_SIZE_COOKIE = "text_size"


def _errors_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# --- Home -----------------------------------------------------------------------------------------


def home(request):
    """Signed in: the volunteer's home. Signed out: the brand's welcome page."""
    if not request.user.is_authenticated:
        return render(request, "webapp/welcome.html", {"self_signup": flag_enabled("self_signup")})
    home = selectors.home_for(request.user)
    return render(request, "webapp/home.html", {"home": home, "nav": "home"})


# --- Sign-up and onboarding --------------------------------------------------------------------------


@require_feature("self_signup")
@never_cache
def signup(request):
    from accounts.services import self_signup

    if request.user.is_authenticated:
        return redirect("webapp:home")
    form = forms.SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = self_signup(
                email=form.cleaned_data["email"],
                password=form.cleaned_data["password"],
                full_name=form.cleaned_data["full_name"],
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("webapp:onboarding_charter")
    return render(request, "webapp/signup.html", {"form": form})


@login_required
def onboarding_charter(request):
    """Read and sign the brand's charter (the volunteer's own vetting step)."""
    from volunteers.models import VettingStep
    from volunteers.services import complete_step, get_or_create_profile

    from themes.selectors import get_theme

    profile = get_or_create_profile(user=request.user)
    step = VettingStep.objects.filter(is_active=True, kind=VettingStep.Kind.CHARTER).first()
    signed = step is None or profile.vetting_records.filter(step=step).exists()
    form = forms.CharterForm(request.POST or None)
    if request.method == "POST" and not signed and form.is_valid():
        try:
            complete_step(profile=profile, step=step, acting_user=request.user)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("webapp:onboarding_profile")
    if request.method == "POST" and signed:
        return redirect("webapp:onboarding_profile")
    legal = get_theme().tokens.get("legal", {})
    charter = legal.get("volunteer_charter") or ""
    return render(
        request,
        "webapp/onboarding_charter.html",
        {"form": form, "signed": signed, "charter": charter},
    )


@login_required
def onboarding_profile(request):
    """Availability, interests, languages and location (CORE's `update_profile`)."""
    from volunteers.services import get_or_create_profile, update_profile

    profile = get_or_create_profile(user=request.user)
    initial = {
        "availability": profile.availability,
        "interests": profile.interests,
        "languages": profile.languages,
        "address": profile.address,
        "phone": profile.phone,
        "radius_km": profile.radius_km,
    }
    form = forms.ProfileForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        changes = {
            k: data[k] for k in ("availability", "interests", "languages", "radius_km", "phone")
        }
        if data.get("latitude") is not None and data.get("longitude") is not None:
            changes.update(
                latitude=data["latitude"], longitude=data["longitude"], address=data["address"]
            )
        elif data["address"] != profile.address:
            changes["address"] = data["address"]
        try:
            update_profile(profile=profile, acting_user=request.user, **changes)
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("webapp:home")
    return render(request, "webapp/onboarding_profile.html", {"form": form})


# --- Proposals ----------------------------------------------------------------------------------------


@login_required
def proposal_detail(request, public_id):
    from matching.models import Proposal
    from matching.selectors import access_proposal
    from matching.services import respond
    from people.selectors import reduce

    proposal = access_proposal(request.user, public_id)
    if proposal.volunteer_id != request.user.pk:  # staff answer nothing here
        raise Http404
    decline_form = forms.DeclineForm(
        request.POST if request.POST.get("answer") == "decline" else None
    )
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                respond(proposal=proposal, acting_user=request.user, accept=True)
                messages.success(
                    request,
                    _("Thank you! Your %(coordinator)s will confirm the match.")
                    % {"coordinator": term("coordinator")},
                )
                return redirect("webapp:home")
            if answer == "decline" and decline_form.is_valid():
                respond(
                    proposal=proposal,
                    acting_user=request.user,
                    accept=False,
                    reason=decline_form.cleaned_data["reason"],
                )
                messages.success(request, _("Your answer has been sent."))
                return redirect("webapp:home")
        except ValidationError as exc:
            _errors_to_form(decline_form, exc)
    person = reduce(proposal.person, volunteer=request.user)
    return render(
        request,
        "webapp/proposal.html",
        {
            "proposal": proposal,
            "person": person,
            "decline_form": decline_form,
            "is_open": proposal.status == Proposal.Status.PENDING,
        },
    )


# --- People and the visit log ----------------------------------------------------------------------


@login_required
def person_detail(request, public_id):
    """The reduced view before a match, the circle view after (CORE's `view_person` decides)."""
    from matching.models import Circle
    from people.models import Person, PersonAccessLog
    from people.selectors import view_person

    person = view_person(request.user, public_id, channel=PersonAccessLog.Channel.WEB)
    context = {"person": person, "full": isinstance(person, Person)}
    if context["full"]:
        from matching.selectors import active_memberships

        circle = Circle.objects.filter(person=person).first()
        context["circle"] = circle
        context["members"] = list(active_memberships(circle)) if circle else []
        if flag_enabled("visit_log"):
            from visits.selectors import visits_for

            context["visits"] = list(visits_for(request.user).filter(person=person)[:10])
    return render(request, "webapp/person.html", context)


@require_feature("visit_log")
@login_required
def log_visit(request, public_id):
    """Log a visit: from home, tap "Log a visit", then tap a mood (which submits). Replays of
    the same submission (the offline queue) are recognised by their idempotency key."""
    from visits.selectors import person_for_visit_log

    person = person_for_visit_log(request.user, public_id)
    if request.method == "POST":
        form = forms.VisitForm(request.POST)
        if form.is_valid():
            data = dict(form.cleaned_data)
            key = data.pop("idempotency_key")
            try:
                visit, created = services.log_visit_once(
                    acting_user=request.user, person=person, idempotency_key=key, **data
                )
            except ValidationError as exc:
                _errors_to_form(form, exc)
            except PermissionDenied:
                raise Http404 from None
            else:
                if _wants_json(request):
                    return JsonResponse(
                        {"id": str(visit.public_id), "created": created},
                        status=201 if created else 200,
                    )
                messages.success(request, _("Visit logged. Thank you!"))
                return redirect("webapp:home")
        if _wants_json(request):
            return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    else:
        form = forms.VisitForm(initial={"idempotency_key": uuid.uuid4()})
    return render(request, "webapp/visit_form.html", {"form": form, "person": person})


# --- Outings -----------------------------------------------------------------------------------------


@require_feature("outings")
@login_required
def outing_list(request):
    from outings.selectors import outings_for

    outings = list(outings_for(request.user).filter(ends_at__gte=timezone.now())[:50])
    return render(request, "webapp/outings.html", {"outings": outings, "nav": "outings"})


@require_feature("outings")
@login_required
def outing_detail(request, public_id):
    from outings.selectors import access_outing, signups_for
    from outings.services import cancel_signup, sign_up

    outing = access_outing(request.user, public_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "cancel":
                signup = (
                    signups_for(request.user, outing)
                    .filter(volunteer=request.user, cancelled_at__isnull=True)
                    .first()
                )
                if signup is None:
                    raise Http404
                cancel_signup(acting_user=request.user, signup=signup)
                messages.success(request, _("Your sign-up is cancelled."))
            else:
                sign_up(acting_user=request.user, outing=outing)
                messages.success(request, _("You are signed up. See you there!"))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except PermissionDenied:
            raise Http404 from None
        return redirect("webapp:outing_detail", public_id=outing.public_id)
    return render(request, "webapp/outing.html", {"outing": outing})


@require_feature("outings")
@login_required
def outing_calendar(request, public_id):
    from outings.ics import outing_calendar
    from outings.selectors import access_outing
    from visits.services import brand_timezone

    outing = access_outing(request.user, public_id)
    body = outing_calendar(outing, brand=connection.tenant, tz=brand_timezone())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="outing-{outing.public_id}.ics"'
    return response


# --- Circle messages -----------------------------------------------------------------------------------


@require_feature("messaging")
@login_required
def circle_messages(request, public_id):
    from messaging.selectors import access_circle_thread, messages_of
    from messaging.services import mark_read, post_message

    circle = access_circle_thread(request.user, public_id)
    form = forms.MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            post_message(acting_user=request.user, circle=circle, body=form.cleaned_data["body"])
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            return redirect("webapp:circle_messages", public_id=circle.public_id)
    items = list(messages_of(circle)[:50])[::-1]
    if items:
        mark_read(acting_user=request.user, circle=circle, up_to_message=items[-1])
    return render(request, "webapp/messages.html", {"circle": circle, "items": items, "form": form})


# --- Settings: notifications, web push, text size, language ---------------------------------------


def _channels() -> tuple[str, ...]:
    return ("email", "push", "sms") if flag_enabled("sms") else ("email", "push")


def _preference_rows(user, channels) -> list[dict]:
    """WORKER's effective preferences, one row per kind with a column per channel."""
    from worker.selectors import preferences_for

    rows: dict[str, dict] = {}
    for item in preferences_for(user):
        if item["channel"] in channels:
            row = rows.setdefault(
                item["kind"], {"kind": item["kind"], "label": item["label"], "channels": {}}
            )
            row["channels"][item["channel"]] = item["enabled"]
    for row in rows.values():
        row["cells"] = [(channel, row["channels"].get(channel, False)) for channel in channels]
    return list(rows.values())


@login_required
def settings_page(request):
    from django.urls import NoReverseMatch

    from worker.models import PushSubscription, VapidKeys

    channels = _channels()
    if request.method == "POST":
        choices = {
            (row["kind"], channel): f"pref:{row['kind']}:{channel}" in request.POST
            for row in _preference_rows(request.user, channels)
            for channel in channels
        }
        services.set_notification_preferences(acting_user=request.user, choices=choices)
        messages.success(request, _("Your preferences are saved."))
        return redirect("webapp:settings")
    keys = VapidKeys.objects.first()
    try:
        subscribe_url = reverse("worker:push-subscriptions")
    except NoReverseMatch:
        subscribe_url = ""
    return render(
        request,
        "webapp/settings.html",
        {
            "nav": "settings",
            "rows": _preference_rows(request.user, channels),
            "channels": channels,
            "vapid_public_key": keys.public_key if keys else "",
            "subscribe_url": subscribe_url,
            "push_count": PushSubscription.objects.filter(user=request.user).count(),
        },
    )


@require_POST
def text_size(request):
    """The large-text setting: a cookie read by the base layout (works signed out too)."""
    large = request.POST.get("size") == "large"
    target = request.POST.get("next") or "/"
    if not target.startswith("/") or target.startswith("//"):
        target = "/"
    response = redirect(target)
    if large:
        response.set_cookie(TEXT_SIZE_COOKIE, "large", max_age=365 * 24 * 3600, samesite="Lax")
    else:
        response.delete_cookie(TEXT_SIZE_COOKIE)
    return response


# --- My data -----------------------------------------------------------------------------------------


@login_required
def my_data(request):
    return render(request, "webapp/my_data.html", {"form": forms.DeleteAccountForm()})


@login_required
@require_GET
def my_data_export(request):
    data = services.export_my_data(user=request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = 'attachment; filename="my-data.json"'
    return response


@login_required
@require_POST
def my_data_delete(request):
    form = forms.DeleteAccountForm(request.POST)
    if form.is_valid():
        try:
            services.delete_my_account(
                acting_user=request.user, confirm_email=form.cleaned_data["confirm_email"]
            )
        except ValidationError as exc:
            _errors_to_form(form, exc)
        else:
            logout(request)
            return render(request, "webapp/account_deleted.html")
    return render(request, "webapp/my_data.html", {"form": form}, status=400)


# --- PWA -------------------------------------------------------------------------------------------------


@require_GET
def service_worker(request):
    """The service worker, served from the brand host's root so that its scope is the whole app.
    The cache name carries the theme version: a theme change installs a new worker."""
    from django.contrib.staticfiles import finders
    from django.templatetags.static import static

    from themes.selectors import get_theme

    theme = get_theme()
    with open(finders.find("webapp/sw.js"), encoding="utf-8") as handle:
        body = handle.read()
    shell = [
        reverse("webapp:offline"),
        static("webapp/app.css"),
        static("webapp/app.js"),
        theme.css_path,
    ]
    body = (
        body.replace("__VERSION__", f"{theme.version}-{_STATIC_VERSION}")
        .replace("__SHELL__", json.dumps(shell))
        .replace("__OFFLINE_URL__", reverse("webapp:offline"))
    )
    response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


# Bump when sw.js / app.js / app.css change, so installed workers refresh their shell.
_STATIC_VERSION = "1"


def offline(request):
    return render(request, "webapp/offline.html")
