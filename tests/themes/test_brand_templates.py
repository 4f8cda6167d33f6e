"""The optional per-brand template folder is searched first, for that brand only."""

from django.template import engines


def _reset_template_cache():
    for loader in engines["django"].engine.template_loaders:
        loader.reset()


def test_brand_template_folder_overrides_for_that_brand_only(
    brand_a, client_a, client_b, settings, tmp_path
):
    folder = tmp_path / "alpha" / "themes"
    folder.mkdir(parents=True)
    (folder / "legal.html").write_text(
        '{% extends "webapp/base.html" %}{% block content %}<h1>Alpha’s own legal page</h1>{% endblock %}',
        encoding="utf-8",
    )
    settings.THEMES_TEMPLATE_ROOT = str(tmp_path)
    _reset_template_cache()
    try:
        a = client_a.get("/legal/privacy/").content.decode()
        b = client_b.get("/legal/privacy/").content.decode()
        assert "<h1>Alpha’s own legal page</h1>" in a
        assert "Alpha’s own legal page" not in b and "<h1>" in b
    finally:
        _reset_template_cache()


def test_settings_page_query_count_is_pinned(
    brand_a, client_a, make_user, login, django_assert_num_queries
):
    admin = make_user(brand_a, email="boss@alpha.example", role="brand_admin")
    login(client_a, admin, brand_a)
    client_a.get("/settings/theme/")  # warm the theme cache
    # SET search_path x3, tenant lookup, session, user: no theme query (process cache).
    with django_assert_num_queries(6):
        assert client_a.get("/settings/theme/").status_code == 200
