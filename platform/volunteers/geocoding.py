"""Turning an address into coordinates.

`Geocoder` is the interface; `AddressApiGeocoder` speaks the French national address API
(api-adresse.data.gouv.fr, `GET /search/?q=<address>&limit=1`, answering GeoJSON). The base URL
comes from the `GEOCODER_URL` setting (tests point it at a local fake server).
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Protocol

import requests
from django.conf import settings

logger = logging.getLogger("entraide.geocoding")

DEFAULT_GEOCODER_URL = "https://api-adresse.data.gouv.fr"
# Below this confidence the API's best guess is too far from what was typed to be trusted.
MIN_SCORE = 0.4


class GeocodingError(Exception):
    """The geocoder could not be reached or answered something unusable."""


@dataclass(frozen=True)
class GeocodedAddress:
    label: str
    latitude: float
    longitude: float
    district: str
    score: float


class Geocoder(Protocol):
    def geocode(self, address: str) -> GeocodedAddress | None:
        """The best match for `address`, or None when nothing matches well enough."""


class AddressApiGeocoder:
    def __init__(
        self, base_url: str, *, timeout: float = 5.0, session: requests.Session | None = None
    ):
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()

    def geocode(self, address: str) -> GeocodedAddress | None:
        address = (address or "").strip()
        if len(address) < 3:
            return None
        try:
            response = self.session.get(
                f"{self.base_url}/search/",
                params={"q": address[:200], "limit": 1},
                timeout=self.timeout,
            )
        except requests.RequestException as exc:
            raise GeocodingError(str(exc)) from exc
        if response.status_code == 400:
            return None  # the API refuses queries it cannot parse
        if response.status_code != 200:
            raise GeocodingError(f"address API answered {response.status_code}")
        try:
            features = response.json().get("features") or []
        except ValueError as exc:
            raise GeocodingError("address API answered something that is not JSON") from exc
        if not features:
            return None
        feature = features[0]
        try:
            longitude, latitude = (float(c) for c in feature["geometry"]["coordinates"][:2])
        except (KeyError, TypeError, ValueError) as exc:
            raise GeocodingError("address API answered a feature without coordinates") from exc
        props = feature.get("properties") or {}
        score = float(props.get("score") or 0)
        if score < MIN_SCORE:
            return None
        district = props.get("district") or props.get("city") or ""
        if props.get("postcode") and district:
            district = f"{district} ({props['postcode']})"
        return GeocodedAddress(
            label=props.get("label") or address,
            latitude=latitude,
            longitude=longitude,
            district=district,
            score=score,
        )


def get_geocoder() -> Geocoder:
    url = (
        getattr(settings, "GEOCODER_URL", None)
        or os.environ.get("GEOCODER_URL")
        or DEFAULT_GEOCODER_URL
    )
    return AddressApiGeocoder(url)
