"""The read-only theme admin exists for operators on the public site, never on a brand host
(where the public table would show every brand's theme)."""


def test_theme_admin_only_on_the_public_site(brand_a, client_a, public_client, make_user, login):
    operator = make_user(
        None, email="op@entraide.example", role="operator", is_staff=True, is_superuser=True
    )
    login(public_client, operator)
    assert public_client.get("/admin/themes/brandtheme/").status_code == 200
    boss = make_user(
        brand_a, email="root@alpha.example", role="brand_admin", is_staff=True, is_superuser=True
    )
    login(client_a, boss, brand_a)
    assert client_a.get("/admin/themes/brandtheme/").status_code == 403
    assert b"brandtheme" not in client_a.get("/admin/").content
