import pytest

from themes.services import set_theme

ALPHA_THEME = {
    "display_name": "Alpha Voisins",
    "short_name": "Alpha",
    "colors": {
        "primary": "#6a1b9a",
        "on_primary": "#ffffff",
        "background": "#ffffff",
        "surface": "#f6f0fa",
        "text": "#1d1020",
        "muted": "#4f3f57",
        "accent": "#8a4b08",
    },
    "wording": {
        "volunteer": {
            "singular": "voisineur",
            "plural": "voisineurs",
            "gender": "m",
            "singular_feminine": "voisineuse",
            "plural_feminine": "voisineuses",
        },
        "person": {"singular": "voisiné(e)", "plural": "voisiné(e)s", "gender": "m"},
        "coordinator": {
            "singular": "animateur",
            "plural": "animateurs",
            "gender": "m",
            "singular_feminine": "animatrice",
            "plural_feminine": "animatrices",
        },
    },
    "contact": {"email": "contact@alpha.example", "phone": "", "sender_name": "Alpha"},
}
BETA_THEME = {
    "display_name": "Beta Seniors",
    "short_name": "Beta",
    "colors": {
        "primary": "#0b6e4f",
        "on_primary": "#ffffff",
        "background": "#fffdf7",
        "surface": "#eef6f1",
        "text": "#10231b",
        "muted": "#3d5248",
        "accent": "#8a4b08",
    },
    "default_locale": "fr",
}


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Logos and icons written by these tests go to a temporary MEDIA_ROOT (tenant storage caches
    the media root, so drop that cache on the way in and out)."""
    from django.core.files.storage import storages

    settings.MEDIA_ROOT = str(tmp_path / "media")
    storages["default"].__dict__.pop("relative_media_root", None)
    yield
    storages["default"].__dict__.pop("relative_media_root", None)


@pytest.fixture
def themed(brand_a, brand_b):
    """Both session brands with clearly different themes (rolled back after the test)."""
    set_theme(association=brand_a, tokens=ALPHA_THEME, replace=True)
    set_theme(association=brand_b, tokens=BETA_THEME, replace=True)
    return brand_a, brand_b
