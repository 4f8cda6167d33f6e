#!/usr/bin/env python
"""Matching benchmark: the top 20 candidates for a person among 50,000 volunteers of ONE brand.

* ours:  `matching.selectors.rank_candidates` as the API runs it (bounding box on the composite
         (latitude, longitude) index, exact haversine + eligibility + score in SQL, LIMIT 20,
         then names and readable reasons for the 20), for 200 different people.
* naive: `matching.selectors.rank_candidates_naive`: every matchable volunteer loaded and scored
         in Python. Measured in the same run on the same data (for fewer people: it is slow), and
         checked to return the same top 20 as ours.

Creates its own brand (bulk inserts), drops it at the end. Usage: bench/matching.py [volunteers]
Ends with exactly one line:
    matching: p95_ms=<x> naive_p95_ms=<y> volunteers=50000
"""

import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "platform"), str(ROOT)]
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
os.environ.setdefault("ENTRAIDE_QUIET_EMBEDDED", "1")
os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")

PEOPLE = 200
NAIVE_PEOPLE = 20
# French cities (lat, lon, weight): volunteers cluster where people live.
CITIES = [
    (48.8566, 2.3522, 30),
    (45.7640, 4.8357, 8),
    (43.2965, 5.3698, 8),
    (43.6047, 1.4442, 6),
    (43.7102, 7.2620, 4),
    (47.2184, -1.5536, 5),
    (48.5734, 7.7521, 4),
    (43.6108, 3.8767, 4),
    (44.8378, -0.5792, 5),
    (50.6292, 3.0573, 5),
    (48.1173, -1.6778, 4),
    (49.2583, 4.0317, 2),
    (45.1885, 5.7245, 3),
    (47.3220, 5.0415, 2),
    (49.4432, 1.0999, 3),
    (45.7772, 3.0870, 2),
    (47.3941, 0.6848, 2),
    (43.1242, 5.9280, 2),
    (49.8941, 2.2958, 1),
    (47.9029, 1.9093, 1),
]
SLOTS = [
    f"{d}_{p}"
    for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
    for p in ("morning", "afternoon", "evening")
]
INTERESTS = [
    "chess",
    "cards",
    "reading",
    "walking",
    "gardening",
    "cooking",
    "music",
    "cinema",
    "history",
    "crafts",
    "technology",
    "sport",
    "travel",
    "art",
]
LANGS = ["en", "ar", "es", "pt", "it", "de"]


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def point(rng: random.Random, spread_km: float) -> tuple[float, float]:
    lat, lon, _w = rng.choices(CITIES, weights=[c[2] for c in CITIES])[0]
    return lat + rng.gauss(0, spread_km / 111.0), lon + rng.gauss(0, spread_km / 78.0)


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[94]


def explain(person) -> None:
    """MATCHING_BENCH_EXPLAIN=1: log the plan of the ranking query for one person."""
    from django.db import connection
    from matching import selectors

    captured = {}

    with connection.execute_wrapper(
        lambda execute, sql, params, many, ctx: (
            captured.update(sql=sql, params=params) or execute(sql, params, many, ctx)
        )
    ):
        selectors.rank_candidates(person, with_details=False)
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + captured["sql"], captured["params"])
        log("\n".join(row[0] for row in cursor.fetchall()))


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 50_000
    import django

    django.setup()
    from accounts.models import User
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tenants.utils import tenant_context
    from matching.selectors import rank_candidates, rank_candidates_naive
    from people.models import Person
    from volunteers.models import VolunteerProfile

    from tenants import schemas
    from tenants.models import Association
    from tenants.services import ensure_public_tenant, provision_brand

    call_command("migrate_schemas", interactive=False, verbosity=0, no_pool=True)
    ensure_public_tenant()
    rng = random.Random(42)
    slug = f"bench-match-{uuid.uuid4().hex[:6]}"
    brand = provision_brand(
        slug=slug,
        name="Bench matching",
        admin_email="admin@bench.example",
        send_invitation=False,
        use_pool=False,
    ).association
    try:
        with tenant_context(brand):
            started = time.perf_counter()
            with transaction.atomic():
                users = User.objects.bulk_create(
                    [
                        User(
                            email=f"v{i}@bench.example",
                            full_name=f"Volunteer {i}",
                            password="!",
                            role="volunteer",
                        )
                        for i in range(n)
                    ],
                    batch_size=5000,
                )
                profiles = []
                for user in users:
                    lat, lon = point(rng, 12)
                    max_people = rng.choice([1, 2, 2, 3, 4])
                    profiles.append(
                        VolunteerProfile(
                            user_id=user.pk,
                            latitude=lat,
                            longitude=lon,
                            location_source="map",
                            radius_km=rng.choice([2, 3, 5, 5, 8, 10, 15, 20]),
                            availability=rng.sample(SLOTS, rng.randint(2, 7)),
                            interests=rng.sample(INTERESTS, rng.randint(1, 4)),
                            languages=["fr"] + (rng.sample(LANGS, 1) if rng.random() < 0.3 else []),
                            max_people=max_people,
                            current_load=rng.randint(0, max_people),
                            status="validated" if rng.random() < 0.9 else "in_progress",
                        )
                    )
                VolunteerProfile.objects.bulk_create(profiles, batch_size=5000)
                people = []
                for i in range(PEOPLE):
                    lat, lon = point(rng, 6)
                    people.append(
                        Person(
                            first_name=f"Personne{i}",
                            last_name="Test",
                            latitude=lat,
                            longitude=lon,
                            preferred_times=rng.sample(SLOTS, rng.randint(2, 5)),
                            interests=rng.sample(INTERESTS, rng.randint(1, 3)),
                            languages=["fr"] + (rng.sample(LANGS, 1) if rng.random() < 0.2 else []),
                        )
                    )
                Person.objects.bulk_create(people)
            with connection.cursor() as cursor:
                # What autovacuum does to a live table: statistics and the visibility map (which
                # the covering index's index-only scan relies on).
                cursor.execute(f"VACUUM ANALYZE {VolunteerProfile._meta.db_table}")
                cursor.execute(f"VACUUM ANALYZE {User._meta.db_table}")
            log(
                f"loaded {n} volunteers and {PEOPLE} people into brand {slug} in {time.perf_counter() - started:.1f}s"
            )

            for person in people[:5]:  # warm-up (plans, caches), untimed
                rank_candidates(person)
            if os.environ.get("MATCHING_BENCH_EXPLAIN"):
                explain(
                    min(
                        people,
                        key=lambda p: (
                            abs(p.latitude - CITIES[0][0]) + abs(p.longitude - CITIES[0][1])
                        ),
                    )
                )
            ours_ms, sizes = [], []
            for person in people:
                t0 = time.perf_counter()
                result = rank_candidates(person)
                ours_ms.append((time.perf_counter() - t0) * 1000)
                sizes.append(len(result))
            naive_ms, agree = [], 0
            for person in people[:NAIVE_PEOPLE]:
                t0 = time.perf_counter()
                naive = rank_candidates_naive(person)
                naive_ms.append((time.perf_counter() - t0) * 1000)
                ours = rank_candidates(person, with_details=False)
                agree += [c.profile_id for c in ours] == [c.profile_id for c in naive]
            log(
                f"ours: {PEOPLE} people, median {statistics.median(ours_ms):.1f} ms, "
                f"mean candidates returned {statistics.mean(sizes):.1f}"
            )
            log(
                f"naive: {NAIVE_PEOPLE} people, median {statistics.median(naive_ms):.1f} ms; "
                f"same top 20 as ours for {agree}/{NAIVE_PEOPLE}"
            )
            if agree != NAIVE_PEOPLE:
                log("WARNING: the indexed ranking and the naive reference disagree")
    finally:
        connection.set_schema_to_public()
        schemas.drop_schema(brand.schema_name)
        Association.objects.filter(pk=brand.pk).delete()
        log(f"dropped bench brand {slug}")
    print(f"matching: p95_ms={p95(ours_ms):.1f} naive_p95_ms={p95(naive_ms):.1f} volunteers={n}")


if __name__ == "__main__":
    main()
