import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """These tests assert the English wording; test_i18n.py checks the French default."""
    with translation.override("en"):
        yield
