"""Reads of the coordinator workspace: the dashboard counters, the concerns to triage, the impact
series and the work queues. Each function runs a FIXED number of queries whatever the brand's size
(tests pin them): counters are folded into one SQL statement, series are grouped in SQL.

The domain rules (who is matchable, who counts as "not contacted") come from the domain apps'
selectors; this module only combines them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from accounts.models import User
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404


def brand_today() -> dt.date:
    from visits.services import brand_today as today

    return today()


def _tz():
    from visits.services import brand_timezone

    return brand_timezone()


def count_many(querysets: dict[str, QuerySet]) -> dict[str, int]:
    """Count several querysets in ONE database round trip:
    SELECT (SELECT count(*) FROM (<qs1>) q), (SELECT count(*) FROM (<qs2>) q), ...

    Each queryset keeps its own ORM-built SQL (so the domain's filters are reused as they are); only
    the round trips are merged."""
    if not querysets:
        return {}
    parts, params = [], []
    for index, qs in enumerate(querysets.values()):
        sql, qs_params = qs.values("pk").query.sql_with_params()
        parts.append(f"(SELECT count(*) FROM ({sql}) AS q{index})")
        params.extend(qs_params)
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts), params)
        row = cursor.fetchone()
    return dict(zip(querysets.keys(), (int(v) for v in row), strict=True))


def _active_membership():
    from matching.models import CircleMembership

    return CircleMembership.objects.filter(left_at__isnull=True)


def awaiting_vetting() -> QuerySet:
    from volunteers.models import VolunteerProfile

    return VolunteerProfile.objects.filter(
        status=VolunteerProfile.Status.IN_PROGRESS, user__is_active=True
    )


def idle_volunteers() -> QuerySet:
    """Validated (matchable) volunteers who are in nobody's circle."""
    from volunteers.models import VolunteerProfile
    from volunteers.selectors import matchable_q

    return VolunteerProfile.objects.filter(matchable_q()).exclude(
        Exists(_active_membership().filter(volunteer_id=OuterRef("user_id")))
    )


def people_without_volunteer() -> QuerySet:
    from people.models import Person

    return Person.objects.filter(status=Person.Status.ACTIVE).exclude(
        Exists(_active_membership().filter(circle__person_id=OuterRef("pk")))
    )


def no_contact_days() -> int:
    from themes import settings_for

    return max(1, int(settings_for().no_contact_alert_days))


def people_not_contacted(days: int | None = None) -> QuerySet:
    from visits.selectors import people_without_contact

    return people_without_contact(days=days or no_contact_days(), today=brand_today())


def week_bounds(today: dt.date | None = None) -> tuple[dt.datetime, dt.datetime]:
    """Monday 00:00 to next Monday 00:00 of the current week, in the brand's timezone."""
    today = today or brand_today()
    monday = today - dt.timedelta(days=today.weekday())
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=_tz())
    return start, start + dt.timedelta(days=7)


def outings_this_week() -> QuerySet:
    from outings.models import Outing

    start, end = week_bounds()
    return Outing.objects.filter(starts_at__gte=start, starts_at__lt=end)


def open_concerns() -> QuerySet:
    """Worried visits that no coordinator has acknowledged yet, newest first."""
    from visits.models import Visit

    return (
        Visit.objects.filter(mood=Visit.Mood.WORRIED, acknowledgement__isnull=True)
        .select_related("person", "volunteer")
        .order_by("-created_at", "-id")
    )


def failed_notifications() -> QuerySet:
    """Notifications the worker gave up on (visible to coordinators, see DESIGN "Notifications")."""
    from worker.models import Notification

    return Notification.objects.filter(status=Notification.Status.FAILED)


def proposals_with_status(*statuses) -> QuerySet:
    from matching.models import Proposal

    return Proposal.objects.filter(status__in=statuses)


@dataclass(frozen=True)
class Counter:
    key: str
    value: int
    url: str


def check_notice_days() -> int:
    from themes import settings_for

    return int(settings_for().background_check_notice_days)


def checks_expiring(days: int | None = None) -> QuerySet:
    """Volunteers whose background check ends within the brand's notice period (`days`)."""
    from volunteers.selectors import checks_expiring as expiring

    return expiring(days=days or check_notice_days(), today=brand_today())


def dashboard_counters() -> dict[str, int]:
    """Every dashboard number in one SQL statement (plus the fixed look-ups the domain filters need:
    the brand's settings and whether its pipeline has a background check)."""
    from matching.models import Proposal
    from volunteers.selectors import background_check_steps

    days = no_contact_days()
    notice_days = check_notice_days()
    counts = count_many(
        {
            "awaiting_vetting": awaiting_vetting(),
            "idle_volunteers": idle_volunteers(),
            "people_without_volunteer": people_without_volunteer(),
            "people_not_contacted": people_not_contacted(days),
            "proposals_pending": proposals_with_status(Proposal.Status.PENDING),
            "proposals_to_confirm": proposals_with_status(Proposal.Status.ACCEPTED),
            "outings_this_week": outings_this_week(),
            "concerns": open_concerns(),
            "notifications_failed": failed_notifications(),
            "checks_expiring": checks_expiring(notice_days),
            "background_check_steps": background_check_steps(),
        }
    )
    counts["no_contact_days"] = days
    counts["check_notice_days"] = notice_days
    return counts


def access_concern(user: User, public_id):
    """A worried visit of this brand (staff only; the views check the role)."""
    from visits.models import Visit

    visit = (
        Visit.objects.select_related("person")
        .filter(public_id=public_id, mood=Visit.Mood.WORRIED)
        .first()
    )
    if visit is None:
        raise Http404
    return visit


# --- Impact ------------------------------------------------------------------------------------


def month_starts(months: int, today: dt.date | None = None) -> list[dt.date]:
    today = today or brand_today()
    year, month = today.year, today.month
    starts = []
    for _i in range(months):
        starts.append(dt.date(year, month, 1))
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return list(reversed(starts))


def _next_month(day: dt.date) -> dt.date:
    return dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)


@dataclass(frozen=True)
class MonthImpact:
    month: dt.date
    visits: int
    calls: int
    outings: int
    volunteer_minutes: int
    active_circles: int

    @property
    def contacts(self) -> int:
        return self.visits + self.calls + self.outings

    @property
    def volunteer_hours(self) -> float:
        return round(self.volunteer_minutes / 60, 1)


def impact_by_month(months: int = 12, today: dt.date | None = None) -> list[MonthImpact]:
    """Contacts logged per month (by kind), volunteer hours, and circles open at each month's end.
    Two queries: one GROUP BY month over the visit log, one aggregate with a filtered count per
    month over the circles."""
    from matching.models import Circle
    from visits.models import Visit

    starts = month_starts(months, today)
    rows = (
        Visit.objects.filter(occurred_on__gte=starts[0])
        .annotate(month=TruncMonth("occurred_on"))
        .values("month")
        .annotate(
            visits=Count("id", filter=Q(kind=Visit.Kind.VISIT)),
            calls=Count("id", filter=Q(kind=Visit.Kind.CALL)),
            outings=Count("id", filter=Q(kind=Visit.Kind.OUTING)),
            minutes=Sum("duration_minutes"),
        )
        .order_by("month")
    )
    by_month = {}
    for row in rows:
        month = row["month"]
        if isinstance(month, dt.datetime):
            month = month.date()
        by_month[month] = row
    tz = _tz()
    aggregates = {}
    for index, start in enumerate(starts):
        end = dt.datetime.combine(_next_month(start), dt.time.min, tzinfo=tz)
        aggregates[f"m{index}"] = Count(
            "id", filter=Q(created_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))
        )
    circles = Circle.objects.aggregate(**aggregates)
    result = []
    for index, start in enumerate(starts):
        row = by_month.get(start, {})
        result.append(
            MonthImpact(
                month=start,
                visits=row.get("visits", 0),
                calls=row.get("calls", 0),
                outings=row.get("outings", 0),
                volunteer_minutes=row.get("minutes") or 0,
                active_circles=circles[f"m{index}"],
            )
        )
    return result


# --- Queues ------------------------------------------------------------------------------------


@dataclass
class VettingRow:
    profile: object
    done: list
    next_step: object | None


def vetting_queue() -> list[VettingRow]:
    """Volunteers whose vetting is in progress with the step each one waits for. Three queries:
    the steps, the profiles (with their users), their records."""
    from django.db.models import Prefetch
    from volunteers.models import VettingRecord, VettingStep, VolunteerProfile

    steps = list(VettingStep.objects.filter(is_active=True).order_by("position", "id"))
    profiles = (
        VolunteerProfile.objects.filter(
            status=VolunteerProfile.Status.IN_PROGRESS, user__is_active=True
        )
        .select_related("user")
        .prefetch_related(
            Prefetch(
                "vetting_records", queryset=VettingRecord.objects.order_by("completed_at", "id")
            )
        )
        .order_by("created_at", "id")
    )
    rows = []
    for profile in profiles:
        done_ids = {r.step_id for r in profile.vetting_records.all()}
        rows.append(
            VettingRow(
                profile=profile,
                done=[s for s in steps if s.pk in done_ids],
                next_step=next((s for s in steps if s.pk not in done_ids), None),
            )
        )
    return rows


def people_list(query: str = "") -> QuerySet:
    """Every person of the brand with the size of their circle (one query)."""
    from people.models import Person

    qs = Person.objects.select_related("coordinator").annotate(
        volunteers=Count(
            "circle__memberships",
            filter=Q(circle__memberships__left_at__isnull=True),
            distinct=True,
        )
    )
    query = (query or "").strip()
    if query:
        qs = qs.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(district__icontains=query)
        )
    return qs.order_by("last_name", "first_name", "id")


def volunteers_list(*, idle_only: bool = False, check_expiring: bool = False) -> QuerySet:
    """Every volunteer profile with its user and the number of people followed (one query);
    only those who visit nobody (`idle_only`), or only those whose background check ends soon,
    soonest first (`check_expiring`)."""
    from volunteers.models import VolunteerProfile

    qs = VolunteerProfile.objects.select_related("user").order_by("user__full_name", "id")
    if idle_only:
        qs = qs.filter(pk__in=idle_volunteers().values("pk"))
    if check_expiring:
        qs = qs.filter(pk__in=checks_expiring().values("pk")).order_by(
            "background_check_expires_on", "user__full_name", "id"
        )
    return qs


def open_proposals() -> QuerySet:
    from matching.models import Proposal

    return (
        Proposal.objects.filter(status__in=Proposal.OPEN_STATUSES)
        .select_related("person", "volunteer", "proposed_by")
        .order_by(
            "-status", "expires_at", "id"
        )  # "pending" sorts after "accepted": to confirm first
    )


def person_overview(person) -> dict:
    """What the person page shows besides the record: consent, circle, proposals, recent contacts."""
    from matching.models import Circle, Proposal
    from visits.models import Visit

    circle = Circle.objects.filter(person=person).first()
    members = (
        list(_active_membership().filter(circle=circle).select_related("volunteer"))
        if circle
        else []
    )
    from people.models import Need

    return {
        "need_labels": [str(Need(n).label) for n in person.needs if n in Need.values],
        "consents": list(person.consents.select_related("recorded_by")),
        "circle": circle,
        "members": members,
        "proposals": list(
            Proposal.objects.filter(person=person)
            .select_related("volunteer")
            .order_by("-created_at", "-id")[:20]
        ),
        "visits": list(
            Visit.objects.filter(person=person)
            .select_related("volunteer")
            .order_by("-occurred_on", "-id")[:10]
        ),
    }


def members_list() -> QuerySet:
    return User.objects.exclude(role=User.Role.OPERATOR).order_by("role", "full_name", "email")


def access_member(public_id) -> User:
    user = members_list().filter(public_id=public_id).first()
    if user is None:
        raise Http404
    return user
