"""Background checks about to expire: the daily per-brand job tells each volunteer once per
expiry date (in the brand's notice period), coordinators see them on the dashboard and in the
volunteer list, and nothing crosses brands."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def with_check(in_brand):
    """Add a background check to a brand's pipeline; `expire(user, days)` sets a volunteer's
    check to end in `days` days (brand's today)."""
    from volunteers.models import VettingStep, VolunteerProfile

    def add(brand):
        with in_brand(brand):
            VettingStep.objects.create(
                key="casier",
                name="Casier judiciaire",
                kind="background_check",
                position=25,
                validity_days=365,
            )

    def expire(brand, user, days):
        from visits.services import brand_today

        with in_brand(brand):
            VolunteerProfile.objects.filter(user=user).update(
                background_check_expires_on=brand_today() + timedelta(days=days)
            )

    add.expire = expire
    return add


def run_job(brand, in_brand, **kwargs):
    from volunteers.services import remind_expiring_background_checks

    with in_brand(brand):
        return remind_expiring_background_checks(**kwargs)


def test_each_volunteer_is_told_once_per_expiry_date_and_only_in_their_brand(
    brand_a, brand_b, make_volunteer, with_check, in_brand, notifications
):
    with_check(brand_a)
    with_check(brand_b)
    soon = make_volunteer(brand_a, full_name="Sonia Soon")
    later = make_volunteer(brand_a, full_name="Laure Later")
    gone = make_volunteer(brand_a, full_name="Gaston Gone")
    other = make_volunteer(brand_b, full_name="Bea Beta")
    with_check.expire(brand_a, soon, 10)
    with_check.expire(brand_a, later, 60)  # outside the default 30-day notice
    with_check.expire(brand_a, gone, -1)  # already expired: matching ignores them already
    with_check.expire(brand_b, other, 10)

    assert run_job(brand_a, in_brand) == 1
    [note] = notifications(brand_a, kind="background_check_expiring")
    assert note.recipient_id == soon.pk and note.context["days_left"] == 10
    assert notifications(brand_b, kind="background_check_expiring") == []

    assert run_job(brand_a, in_brand) == 1  # the next day's run: nothing new
    assert len(notifications(brand_a, kind="background_check_expiring")) == 1

    with_check.expire(brand_a, soon, 20)  # renewed, and that one nears its end in turn
    run_job(brand_a, in_brand)
    assert [
        n.context["days_left"] for n in notifications(brand_a, kind="background_check_expiring")
    ] == [10, 20]

    assert run_job(brand_b, in_brand) == 1
    [note_b] = notifications(brand_b, kind="background_check_expiring")
    assert note_b.recipient_id == other.pk


def test_the_notice_period_is_the_brand_setting(
    brand_a, brand_b, make_volunteer, with_check, in_brand, notifications
):
    from themes.services import set_theme

    with_check(brand_a)
    volunteer = make_volunteer(brand_a)
    with_check.expire(brand_a, volunteer, 10)
    set_theme(association=brand_a, tokens={"settings": {"background_check_notice_days": 7}})
    assert run_job(brand_a, in_brand) == 0
    set_theme(association=brand_a, tokens={"settings": {"background_check_notice_days": 10}})
    assert run_job(brand_a, in_brand) == 1


def test_without_a_background_check_in_the_pipeline_nobody_is_told(
    brand_a, make_volunteer, in_brand, notifications
):
    from volunteers.models import VolunteerProfile

    volunteer = make_volunteer(brand_a)
    with in_brand(brand_a):
        from visits.services import brand_today

        VolunteerProfile.objects.filter(user=volunteer).update(
            background_check_expires_on=brand_today() + timedelta(days=3)
        )
    assert run_job(brand_a, in_brand) == 0


def test_the_message_in_french_and_english(brand_a, make_volunteer, with_check, in_brand):
    from django.utils import translation

    from worker.models import Notification
    from worker.rendering import render

    with_check(brand_a)
    volunteer = make_volunteer(brand_a)
    with_check.expire(brand_a, volunteer, 12)
    run_job(brand_a, in_brand)
    with in_brand(brand_a):
        note = Notification.objects.select_related("recipient").get(
            kind="background_check_expiring"
        )
        date = note.context["expires_on_local"]
        french = render(note, brand_a)
        assert french.subject == f"Votre vérification d’antécédents expire le {date}"
        assert "remettez-le à votre coordinateur" in french.text
        assert note.context["url"] in french.text
        note.recipient.preferred_language = "en"
        with translation.override("en"):
            english = render(note, brand_a)
    assert english.subject == f"Your background check expires on {date}"
    assert "give it to your coordinator" in english.text


def test_the_daily_job_is_registered_for_every_brand():
    from worker.periodic import BRAND_JOBS

    assert "volunteers.expiring_background_checks" in {job.name for job in BRAND_JOBS.values()}


def counter(html: str, key: str) -> int | None:
    match = re.search(rf'data-counter="{key}"><span class="counter-value">(\d+)</span>', html)
    return int(match.group(1)) if match else None


def test_coordinators_see_them_on_the_dashboard_and_in_the_list(
    brand_a,
    brand_b,
    client_a,
    client_b,
    coordinator_a,
    coordinator_b,
    make_volunteer,
    with_check,
    login,
):
    soon = make_volunteer(brand_a, full_name="Sonia Soon")
    make_volunteer(brand_b, full_name="Bea Beta")
    login(client_a, coordinator_a, brand_a)
    # no background check in the pipeline: no such counter
    assert counter(client_a.get("/coordination/").content.decode(), "checks_expiring") is None

    with_check(brand_a)
    with_check(brand_b)
    with_check.expire(brand_a, soon, 5)
    assert counter(client_a.get("/coordination/").content.decode(), "checks_expiring") == 1
    listed = client_a.get("/coordination/volunteers/?show=check_expiring").content.decode()
    assert "Sonia Soon" in listed and "Bea Beta" not in listed

    login(client_b, coordinator_b, brand_b)
    assert counter(client_b.get("/coordination/").content.decode(), "checks_expiring") == 0
    listed_b = client_b.get("/coordination/volunteers/?show=check_expiring").content.decode()
    assert "Sonia Soon" not in listed_b
