"""The demo brands' themes (make run): valid, clearly different, applied idempotently."""

import io

from django.core.management.base import OutputWrapper
from entraide.demo import DEMO_BRANDS

from themes.demo import seed_theme
from themes.selectors import get_theme
from themes.wording import term


def test_demo_themes_differ_and_seed_idempotently(brand_a, brand_b):
    voisinage, solidarite = DEMO_BRANDS[0], DEMO_BRANDS[1]
    out = io.StringIO()
    seed_theme(brand=brand_a, spec=voisinage, stdout=OutputWrapper(out))
    seed_theme(brand=brand_b, spec=solidarite, stdout=OutputWrapper(out))
    assert out.getvalue().splitlines() == [
        "applied the demo theme of alpha",
        "applied the demo theme of beta",
    ]
    version = get_theme(brand_a).version
    out = io.StringIO()
    seed_theme(brand=brand_a, spec=voisinage, stdout=OutputWrapper(out))
    assert out.getvalue().splitlines() == ["theme of alpha is up to date"]
    brand_a.refresh_from_db()
    assert get_theme(brand_a).version == version
    a, b = get_theme(brand_a), get_theme(brand_b)
    assert a.display_name != b.display_name
    assert a.colors["primary"] != b.colors["primary"]
    assert a.logo.endswith(".svg") and b.logo.endswith(".svg") and a.logo != b.logo
    from django.utils import translation

    with translation.override("fr"):
        assert (
            term("volunteer", tenant=brand_a),
            term("volunteer", feminine=True, tenant=brand_a),
            term("person", tenant=brand_a),
            term("coordinator", feminine=True, tenant=brand_a),
        ) == ("voisineur", "voisineuse", "voisiné(e)", "animatrice")
        assert term("volunteer", tenant=brand_b) == "bénévole"
        assert term("person", tenant=brand_b) == "aîné(e)"
