"""Demo data of the engagement core for `make run` (entraide.demo.DEMO_SEEDERS). Idempotent: keyed
on e-mails and names, so a second run finds everything and creates nothing.

Volunteers are validated through the real pipeline (charter, interview, validation); people are
registered with a consent record; a couple of circles are confirmed through real proposals."""

from __future__ import annotations

import random

from django.db import transaction

# Brand-agnostic pools; the demo brand's own volunteers (entraide.demo) get profiles too.
CITIES = [
    # (district, latitude, longitude)
    ("Paris 11e", 48.8590, 2.3795),
    ("Paris 18e", 48.8925, 2.3444),
    ("Paris 15e", 48.8412, 2.3003),
    ("Montreuil", 48.8638, 2.4485),
    ("Lyon 3e", 45.7597, 4.8422),
    ("Lyon 7e", 45.7450, 4.8420),
    ("Villeurbanne", 45.7719, 4.8902),
]
EXTRA_VOLUNTEERS = [
    ("Nadia Haddad", ["fr", "ar"], ["cooking", "music"]),
    ("Paul Girard", ["fr", "en"], ["chess", "history"]),
    ("Inès Moreau", ["fr", "es"], ["reading", "cinema"]),
    ("Hugo Lambert", ["fr"], ["walking", "gardening"]),
    ("Camille Roux", ["fr", "en"], ["art", "reading"]),
    ("Mehdi Saïdi", ["fr", "ar"], ["cards", "sport"]),
]
PEOPLE = [
    (
        "Jeanne",
        "Dubois",
        ["visits", "calls"],
        ["reading", "cinema"],
        ["fr"],
        "Aime parler de ses voyages.",
    ),
    (
        "Marcel",
        "Lefèvre",
        ["visits", "outings"],
        ["chess", "history"],
        ["fr"],
        "Ancien instituteur, malentendant : parler lentement.",
    ),
    (
        "Fatima",
        "Benali",
        ["calls", "errands"],
        ["cooking", "music"],
        ["fr", "ar"],
        "Préfère les appels le matin.",
    ),
    (
        "Yvonne",
        "Martin",
        ["visits"],
        ["gardening", "walking"],
        ["fr"],
        "Troisième étage sans ascenseur.",
    ),
    (
        "Henri",
        "Garcia",
        ["visits", "outings"],
        ["cards", "sport"],
        ["fr", "es"],
        "Supporter de l'OL.",
    ),
    (
        "Suzanne",
        "Petit",
        ["calls"],
        ["music", "art"],
        ["fr", "en"],
        "Vit seule depuis le décès de son mari.",
    ),
]
SLOTS = [
    "mon_afternoon",
    "tue_afternoon",
    "wed_morning",
    "thu_afternoon",
    "fri_morning",
    "sat_afternoon",
    "sun_afternoon",
    "tue_morning",
]


def seed_engagement(*, brand, spec, stdout) -> None:
    from accounts.models import User
    from entraide.demo import DEMO_PASSWORD
    from matching.models import Proposal
    from matching.services import confirm, propose, respond
    from volunteers.models import VettingStep, VolunteerProfile
    from volunteers.services import complete_step, get_or_create_profile

    from people.models import Person
    from people.services import register_person

    rng = random.Random(brand.slug)  # stable per brand: the same demo on every run
    coordinator = User.objects.get(email=spec["coordinator"][0])
    domain = spec["coordinator"][0].split("@")[1]
    # Paris-area brands and Lyon-area brands: the first demo brand in Paris, the next in Lyon...
    cities = CITIES[:4] if rng.random() < 0.5 else CITIES[4:]

    with transaction.atomic():
        volunteers = [User.objects.get(email=email) for email, _name in spec["volunteers"]]
        for full_name, languages, interests in EXTRA_VOLUNTEERS:
            email = f"{full_name.split()[0].lower().replace('è', 'e').replace('ï', 'i')}@{domain}"
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    role=User.Role.VOLUNTEER,
                )
            user._demo = (languages, interests)
            volunteers.append(user)
        steps = list(VettingStep.objects.filter(is_active=True).order_by("position"))
        created_profiles = 0
        for index, user in enumerate(volunteers):
            profile = get_or_create_profile(user=user)
            if profile.latitude is None:
                district, lat, lon = cities[index % len(cities)]
                languages, interests = getattr(
                    user,
                    "_demo",
                    (
                        ["fr"],
                        rng.sample(
                            [
                                "chess",
                                "reading",
                                "walking",
                                "cooking",
                                "music",
                                "cinema",
                                "gardening",
                            ],
                            2,
                        ),
                    ),
                )
                VolunteerProfile.objects.filter(pk=profile.pk).update(
                    latitude=lat + rng.uniform(-0.02, 0.02),
                    longitude=lon + rng.uniform(-0.03, 0.03),
                    location_source=VolunteerProfile.LocationSource.MAP,
                    district=district,
                    radius_km=rng.choice([3, 5, 8]),
                    availability=rng.sample(SLOTS, 3),
                    interests=interests,
                    languages=languages,
                    max_people=rng.choice([1, 2, 3]),
                )
                created_profiles += 1
            done = set(profile.vetting_records.values_list("step_id", flat=True))
            # the last volunteer stays at the interview step, so the console has someone to vet
            todo = steps if index != len(volunteers) - 1 else steps[:1]
            for step in todo:
                if step.pk not in done:
                    actor = user if step.volunteer_can_complete else coordinator
                    complete_step(profile=profile, step=step, acting_user=actor)

        created_people = 0
        people = []
        for index, (first, last, needs, interests, languages, notes) in enumerate(PEOPLE):
            person = Person.objects.filter(first_name=first, last_name=last).first()
            if person is None:
                district, lat, lon = cities[index % len(cities)]
                person = register_person(
                    acting_user=coordinator,
                    consent={
                        "method": "in_person" if index % 2 else "written",
                        "purpose": "Être mis en relation avec des bénévoles de l'association pour des visites et appels.",
                        "given_by": "" if index != 3 else "Sa fille, Anne Martin",
                    },
                    first_name=first,
                    last_name=last,
                    phone=f"06 12 34 5{index} {10 + index}",
                    address=f"{10 + index} rue de la République",
                    district=district,
                    latitude=lat + rng.uniform(-0.01, 0.01),
                    longitude=lon + rng.uniform(-0.015, 0.015),
                    needs=needs,
                    preferred_times=rng.sample(SLOTS, 3),
                    interests=interests,
                    languages=languages,
                    notes=notes,
                    max_volunteers=2,
                )
                created_people += 1
            people.append(person)

        # Two confirmed circles, through the real proposal flow.
        confirmed = 0
        for person, volunteer in ((people[0], volunteers[0]), (people[1], volunteers[1])):
            if Proposal.objects.filter(person=person, volunteer=volunteer).exists():
                continue
            [proposal] = propose(
                acting_user=coordinator,
                person=person,
                volunteers=[volunteer],
                message="Je pense que vous vous entendrez bien !",
            )
            proposal = respond(
                proposal=proposal, acting_user=volunteer, accept=True, reason="Avec plaisir"
            )
            proposal.refresh_from_db()
            if proposal.status == Proposal.Status.ACCEPTED:
                confirm(proposal=proposal, acting_user=coordinator)
            confirmed += 1
        # One proposal left open, so a volunteer sees the reduced view.
        if not Proposal.objects.filter(person=people[2]).exists():
            propose(acting_user=coordinator, person=people[2], volunteers=[volunteers[2]])
    stdout.write(
        f"  engagement: {created_profiles} volunteer profiles, {created_people} people, "
        f"{confirmed} circles confirmed"
    )
