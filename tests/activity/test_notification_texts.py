"""Our four kinds of notification go through the real outbox delivery (e-mail, locmem backend)
and read correctly, in French by default and in English for a user who chose it."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core import mail
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _deliver(brand, in_brand, kind):
    with in_brand(brand):
        from worker.models import Notification
        from worker.outbox import deliver

        rows = Notification.objects.filter(kind=kind, channel="email")
        # Non-urgent messages wait for the end of the brand's quiet hours: the test may run at
        # night, so it delivers them as the morning would.
        rows.update(not_before=timezone.now())
        ids = list(rows.values_list("id", flat=True))
        mail.outbox.clear()
        assert deliver(ids)["sent"] == len(ids)
    return {m.to[0]: m for m in mail.outbox}


def test_worried_visit_email(client_a, brand_a, make_circle, login, in_brand):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    with in_brand(brand_a):
        from visits.services import brand_today

        day = brand_today() - dt.timedelta(days=1)
    body = {
        "person": str(c.person.public_id),
        "occurred_on": day.isoformat(),
        "duration_minutes": 30,
        "mood": "worried",
        "note": "Très fatiguée.",
    }
    assert (
        client_a.post(
            "/api/visits/", data=json.dumps(body), content_type="application/json"
        ).status_code
        == 201
    )

    message = _deliver(brand_a, in_brand, "visit_worried")[c.coordinator.email]

    assert message.subject == "Inquiétude après un contact avec Jeanne M."
    assert (
        f"{c.volunteers[0].full_name} a noté un contact avec Jeanne M. le {day:%d/%m/%Y} "
        "et s'inquiète pour cette personne."
    ) in message.body
    assert (
        f"{settings.SITE_SCHEME}://alpha.localhost/coordination/people/{c.person.public_id}/"
        in message.body
    )
    assert "Très fatiguée" not in message.body  # the note stays in the app


def test_no_contact_email_in_english_for_an_english_speaker(brand_a, make_circle, in_brand):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from accounts.models import User
        from people.models import Person
        from visits import tasks

        User.objects.filter(pk=c.coordinator.pk).update(preferred_language="en")
        Person.objects.filter(pk=c.person.pk).update(
            created_at=timezone.now() - dt.timedelta(days=15)
        )
        tasks.alert_people_without_contact.run()

    message = _deliver(brand_a, in_brand, "person_no_contact")[c.coordinator.email]

    assert message.subject == "No contact with Jeanne M. for 15 days"
    assert (
        "Nobody has logged a contact with Jeanne M. since they were registered, 15 days ago."
        in message.body
    )


def test_outing_reminder_and_new_message_emails(brand_a, make_circle, in_brand):
    c = make_circle(brand_a, volunteers=2)
    with in_brand(brand_a):
        from messaging.services import post_message
        from outings import services, tasks
        from visits.services import brand_timezone

        tz = brand_timezone()
        starts = dt.datetime.combine(
            timezone.now().astimezone(tz).date() + dt.timedelta(days=1), dt.time(14, 30), tzinfo=tz
        )
        outing = services.create_outing(
            acting_user=c.coordinator,
            title="Cinéma",
            place="Le Louxor, 170 bd Magenta",
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=2),
            capacity=4,
            accessibility_notes="Rampe d'accès",
        )
        services.sign_up(acting_user=c.volunteers[0], outing=outing)
        tasks.send_outing_reminders.run()
        post_message(acting_user=c.volunteers[0], circle=c.circle, body="J'apporte des gâteaux <3")

    reminder = _deliver(brand_a, in_brand, "outing_reminder")[c.volunteers[0].email]
    assert reminder.subject == "Demain : Cinéma"
    assert "Pour rappel : vous êtes inscrit·e à la sortie « Cinéma » demain." in reminder.body
    assert f"Quand : {starts:%d/%m/%Y} 14:30 – 16:30" in reminder.body
    assert "Où : Le Louxor, 170 bd Magenta" in reminder.body
    assert "Accessibilité : Rampe d'accès" in reminder.body

    new_message = _deliver(brand_a, in_brand, "message_new")
    assert sorted(new_message) == sorted([c.volunteers[1].email, c.coordinator.email])
    email = new_message[c.volunteers[1].email]
    assert email.subject == "Nouveau message dans « Les amis de Jeanne »"
    assert (
        f"{c.volunteers[0].full_name} a écrit un nouveau message dans « Les amis de Jeanne »."
        in email.body
    )
    assert (
        f"{settings.SITE_SCHEME}://alpha.localhost/circles/{c.circle.public_id}/messages/"
        in email.body
    )
