"""French is the default language; English is complete for what this app says."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from tenants.services import provision_brand


def test_unknown_host_page_is_french_by_default(db):
    body = Client(HTTP_HOST="nowhere.localhost").get("/").content.decode()
    assert 'lang="fr"' in body
    assert "Page introuvable" in body


def test_unknown_host_page_in_english_when_asked(db):
    body = (
        Client(HTTP_HOST="nowhere.localhost", HTTP_ACCEPT_LANGUAGE="en").get("/").content.decode()
    )
    assert "Page not found" in body


def test_validation_messages_are_french_by_default(db):
    with translation.override("fr"), pytest.raises(ValidationError) as excinfo:
        provision_brand(slug="www", name="X", admin_email="a@b.org", send_invitation=False)
    assert excinfo.value.message_dict["slug"] == [
        "L’identifiant « www » est réservé par la plateforme ; choisissez-en un autre."
    ]
