"""Fixtures of the engagement core: volunteers, people, a fake address API (a local HTTP server)."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

# What the fake address API knows: query (lower-case) -> (label, lat, lon, city, postcode, score)
KNOWN_ADDRESSES = {
    "8 bd du port amiens": (
        "8 Boulevard du Port 80000 Amiens",
        49.897443,
        2.290084,
        "Amiens",
        "80000",
        0.91,
    ),
    "10 rue de la roquette paris": (
        "10 Rue de la Roquette 75011 Paris",
        48.853,
        2.372,
        "Paris",
        "75011",
        0.88,
    ),
    "vaguement quelque part": ("Quelque Part 01000 Nulle", 46.0, 5.0, "Nulle", "01000", 0.2),
}


class FakeAddressApi(BaseHTTPRequestHandler):
    """Answers like api-adresse.data.gouv.fr `/search/?q=`: a GeoJSON FeatureCollection."""

    requests_seen: list = []

    def do_GET(self):  # noqa: N802
        url = urlparse(self.path)
        query = parse_qs(url.query).get("q", [""])[0]
        type(self).requests_seen.append((url.path, query))
        if url.path != "/search/":
            self.send_response(404)
            self.end_headers()
            return
        if query == "boom":
            self.send_response(503)
            self.end_headers()
            return
        features = []
        known = KNOWN_ADDRESSES.get(query.lower().strip())
        if known:
            label, lat, lon, city, postcode, score = known
            features.append(
                {
                    "type": "Feature",
                    "geometry": {"type": "Point", "coordinates": [lon, lat]},
                    "properties": {
                        "label": label,
                        "score": score,
                        "city": city,
                        "postcode": postcode,
                        "type": "housenumber",
                    },
                }
            )
        body = json.dumps(
            {"type": "FeatureCollection", "version": "draft", "features": features, "query": query}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def address_api():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeAddressApi)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _geocoder(settings, address_api):
    """Every engagement test geocodes against the local fake (never the network)."""
    settings.GEOCODER_URL = address_api
    FakeAddressApi.requests_seen.clear()
    return FakeAddressApi


@pytest.fixture
def make_volunteer(make_user):
    """A volunteer with a profile; validated through the real pipeline unless validated=False."""
    from django_tenants.utils import schema_context

    def factory(
        brand,
        *,
        validated=True,
        latitude=48.8566,
        longitude=2.3522,
        radius_km=5.0,
        availability=(),
        interests=(),
        languages=("fr",),
        max_people=2,
        **user_extra,
    ):
        from accounts.models import User
        from volunteers.models import VettingStep, VolunteerProfile
        from volunteers.services import complete_step

        user = make_user(brand, role="volunteer", **user_extra)
        with schema_context(brand.schema_name):
            profile = VolunteerProfile.objects.create(
                user=user,
                latitude=latitude,
                longitude=longitude,
                radius_km=radius_km,
                availability=list(availability),
                interests=list(interests),
                languages=list(languages),
                max_people=max_people,
                location_source="map" if latitude is not None else "",
            )
            if validated:
                staff = User.objects.filter(role="coordinator").first() or User.objects.create_user(
                    email="vetting-coordinator@example.org",
                    role="coordinator",
                    full_name="Vera Vetting",
                )
                for step in VettingStep.objects.filter(is_active=True).order_by("position"):
                    complete_step(
                        profile=profile,
                        step=step,
                        acting_user=user if step.volunteer_can_complete else staff,
                    )
                profile.refresh_from_db()
        user.profile = profile
        return user

    return factory


@pytest.fixture
def make_person():
    from django_tenants.utils import schema_context

    def factory(
        brand,
        *,
        coordinator=None,
        first_name="Jeanne",
        last_name="Dubois",
        latitude=48.8566,
        longitude=2.3522,
        **extra,
    ):
        from people.models import ConsentRecord, Person

        with schema_context(brand.schema_name):
            extra.setdefault("district", "Paris 4e")
            person = Person.objects.create(
                first_name=first_name,
                last_name=last_name,
                latitude=latitude,
                longitude=longitude,
                coordinator=coordinator,
                created_by=coordinator,
                **extra,
            )
            ConsentRecord.objects.create(
                person=person,
                recorded_by=coordinator,
                method="in_person",
                purpose="Visites de bénévoles",
            )
        return person

    return factory


@pytest.fixture
def coordinator_a(brand_a, make_user):
    return make_user(
        brand_a, email="coord@alpha.example", role="coordinator", full_name="Claire Coord"
    )


@pytest.fixture
def coordinator_b(brand_b, make_user):
    return make_user(
        brand_b, email="coord@beta.example", role="coordinator", full_name="Bruno Coord"
    )


@pytest.fixture
def notifications():
    """`notifications(brand, kind=..., recipient=...)`: the outbox rows written in a brand."""
    from django_tenants.utils import schema_context

    def read(brand, **filters):
        from worker.models import Notification

        with schema_context(brand.schema_name):
            return list(Notification.objects.filter(**filters).order_by("id"))

    return read
