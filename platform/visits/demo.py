"""Demo data for `make run` (entraide.demo.DEMO_SEEDERS): visits (one of them "worried"), two
outings with sign-ups and a few messages in the circles created by the engagement-core seeder.
Idempotent: every part checks whether it already exists. Goes through the services, so the demo
also shows the notifications they produce."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

DEMO_VISITS = [
    # (days ago, kind, minutes, mood, note)
    (12, "visit", 90, "good", "Nous avons regardé de vieilles photos et pris le thé."),
    (5, "call", 20, "neutral", "Appel rapide, un peu fatiguée aujourd'hui."),
    (1, "visit", 60, "good", "Promenade jusqu'au parc, très bonne humeur."),
]
WORRIED_NOTE = "Elle ne s'alimente plus beaucoup et semble très isolée ces jours-ci."

DEMO_OUTINGS = [
    # (title, place, days ahead, start hour, hours, capacity, accessibility notes)
    (
        "Après-midi au musée",
        "Musée des Beaux-Arts, entrée principale",
        3,
        14,
        3,
        8,
        "Accès de plain-pied, ascenseur, fauteuils roulants prêtés à l'accueil.",
    ),
    (
        "Goûter partagé au jardin",
        "Jardin partagé du quartier",
        10,
        15,
        2,
        12,
        "Allées stabilisées, bancs à l'ombre, toilettes accessibles.",
    ),
]

DEMO_MESSAGES = [
    "Bonjour à tous ! Je passe la voir mardi après-midi, quelqu'un est disponible jeudi ?",
    "Je peux passer jeudi vers 15 h. Elle m'a parlé d'une exposition qu'elle aimerait voir.",
    "Merci à vous deux ! Pensez à noter vos visites dans le carnet.",
]


def seed_activity(*, brand, spec, stdout) -> None:
    from accounts.models import User
    from matching.models import Circle

    coordinator = User.objects.filter(email=spec["coordinator"][0]).first()
    circles = list(
        Circle.objects.filter(status=Circle.Status.OPEN, memberships__left_at__isnull=True)
        .select_related("person")
        .distinct()
        .order_by("id")
    )
    if not circles:
        stdout.write(f"  {brand.slug}: no demo circle yet, no visits or messages")
    with transaction.atomic():
        visits = _seed_visits(circles)
        outings = _seed_outings(coordinator, circles)
        messages = _seed_messages(coordinator, circles)
    stdout.write(f"  {brand.slug}: {visits} visits, {outings} outings, {messages} messages added")


def _active_volunteers(circle) -> list:
    from accounts.models import User

    return list(
        User.objects.filter(
            circle_memberships__circle=circle, circle_memberships__left_at__isnull=True
        )
        .order_by("id")
        .distinct()
    )


def _seed_visits(circles) -> int:
    from visits.models import Visit
    from visits.services import brand_today, log_visit

    today = brand_today()
    added = 0
    for index, circle in enumerate(circles):
        volunteers = _active_volunteers(circle)
        if not volunteers or Visit.objects.filter(person=circle.person).exists():
            continue
        for step, (days_ago, kind, minutes, mood, note) in enumerate(DEMO_VISITS):
            if index == 0 and step == len(DEMO_VISITS) - 1:
                mood, note = "worried", WORRIED_NOTE  # one worried visit per demo brand
            log_visit(
                acting_user=volunteers[step % len(volunteers)],
                person=circle.person,
                kind=kind,
                occurred_on=today - dt.timedelta(days=days_ago + index),
                duration_minutes=minutes,
                mood=mood,
                note=note,
            )
            added += 1
    return added


def _seed_outings(coordinator, circles) -> int:
    from outings.models import Outing
    from outings.services import create_outing, sign_up

    from visits.services import brand_timezone

    if coordinator is None:
        return 0
    tz = brand_timezone()
    today = timezone.now().astimezone(tz).date()
    added = 0
    for title, place, days, hour, hours, capacity, notes in DEMO_OUTINGS:
        if Outing.objects.filter(title=title).exists():
            continue
        starts = dt.datetime.combine(today + dt.timedelta(days=days), dt.time(hour), tzinfo=tz)
        outing = create_outing(
            acting_user=coordinator,
            title=title,
            place=place,
            starts_at=starts,
            ends_at=starts + dt.timedelta(hours=hours),
            capacity=capacity,
            accessibility_notes=notes,
            description="Sortie organisée par l'association. Inscrivez-vous, c'est gratuit !",
        )
        added += 1
        for circle in circles[:2]:
            for volunteer in _active_volunteers(circle)[:1]:
                if not outing.signups.filter(
                    volunteer=volunteer, cancelled_at__isnull=True
                ).exists():
                    sign_up(acting_user=volunteer, outing=outing)
            if not outing.signups.filter(person=circle.person, cancelled_at__isnull=True).exists():
                sign_up(acting_user=coordinator, outing=outing, person=circle.person)
    return added


def _seed_messages(coordinator, circles) -> int:
    from messaging.models import Message
    from messaging.services import post_message

    added = 0
    for circle in circles[:3]:
        if Message.objects.filter(thread__circle=circle).exists():
            continue
        volunteers = _active_volunteers(circle)
        authors = [
            volunteers[0],
            volunteers[-1] if len(volunteers) > 1 else coordinator,
            coordinator,
        ]
        for author, body in zip(authors, DEMO_MESSAGES, strict=True):
            if author is not None:
                post_message(acting_user=author, circle=circle, body=body)
                added += 1
    return added
