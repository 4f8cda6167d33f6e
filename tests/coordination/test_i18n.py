"""French by default, English on request; the French catalogue of the workspace and the console
is complete."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.utils import translation

pytestmark = pytest.mark.django_db

PO = (
    Path(__file__).resolve().parents[2]
    / "platform"
    / "coordination"
    / "locale"
    / "fr"
    / "LC_MESSAGES"
    / "django.po"
)


@pytest.fixture(autouse=True)
def english():  # override the package fixture: these tests pick their language per request
    with translation.override(None):
        yield


def test_dashboard_is_french_by_default_and_english_on_request(client_a, brand_a, make_user, login):
    user = make_user(brand_a, role="coordinator", full_name="Claire C")
    login(client_a, user, brand_a)
    french = client_a.get("/coordination/").content.decode()
    assert '<html lang="fr">' in french
    assert (
        "Tableau de bord" in french
        and "Inquiétudes signalées" in french
        and "Inscrire quelqu’un" in french
    )
    english = client_a.get("/coordination/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        "Dashboard" in english and "Concerns raised" in english and "Tableau de bord" not in english
    )


def test_console_is_french_by_default(public_client, make_user, login):
    operator = make_user(None, email="ops-fr@entraide.example", role="operator")
    login(public_client, operator, None)
    page = public_client.get("/console/brands/new/").content.decode()
    assert "Créer une association" in page and "Adresse (identifiant)" in page


def test_the_french_catalogue_is_complete():
    text = PO.read_text(encoding="utf-8")
    entries = [block for block in text.split("\n\n")[1:] if "msgid " in block]
    assert len(entries) > 150
    untranslated = [
        b
        for b in entries
        if 'msgstr ""' in b.split("\n")[-1] and not b.split("\n")[-2].startswith('"')
    ]
    fuzzy = [b for b in entries if "#, fuzzy" in b]
    assert untranslated == [] and fuzzy == []
