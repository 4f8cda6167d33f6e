"""The brand's default_locale is the language of a visitor who states none; a stated language
(the switcher's cookie, the browser's Accept-Language) still wins. Two brands."""

from django.urls import reverse

from themes.services import set_theme


def lang(client, **headers) -> str:
    html = client.get(reverse("accounts:login"), **headers).content.decode()
    return html.split('<html lang="', 1)[1].split('"', 1)[0]


def test_a_visitor_who_states_no_language_gets_the_brand_default(
    brand_a, brand_b, client_a, client_b
):
    set_theme(association=brand_a, tokens={"default_locale": "en"})
    assert lang(client_a) == "en"
    assert lang(client_b) == "fr"  # the other brand keeps the platform default
    set_theme(association=brand_a, tokens={"default_locale": "fr"})
    assert lang(client_a) == "fr"


def test_a_stated_language_wins_over_the_brand_default(brand_a, client_a):
    set_theme(association=brand_a, tokens={"default_locale": "en"})
    assert lang(client_a, HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9") == "fr"
    assert lang(client_a, HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9") == "en"  # unsupported: brand's
    client_a.post("/i18n/setlang/", {"language": "fr", "next": "/"})
    assert lang(client_a) == "fr"  # the switcher's cookie
    assert lang(client_a, HTTP_ACCEPT_LANGUAGE="en") == "fr"
