"""The volunteer app's pages, through HTTP: home, proposals, person page, visit log."""

import uuid

import pytest
from django.utils import timezone


def _text(response):
    return response.content.decode()


def test_home_shows_my_people_and_waiting_proposals(vol_client, world):
    response = vol_client.get("/")
    assert response.status_code == 200
    html = _text(response)
    assert "Jeanne Martin" in html  # my person (circle view)
    assert f"/people/{world.jeanne.public_id}/visit/" in html
    assert "Paul D." in html  # the proposal: reduced view only
    assert "Durand" not in html
    assert f"/proposals/{world.proposal.public_id}/" in html


def test_signed_out_home_is_the_welcome_page(client_a, brand_a):
    response = client_a.get("/")
    assert response.status_code == 200
    assert "/accounts/login/" in _text(response)


def test_pages_require_sign_in(client_a, world):
    for url in (
        "/settings/",
        "/my-data/",
        f"/people/{world.jeanne.public_id}/",
        f"/people/{world.jeanne.public_id}/visit/",
        f"/proposals/{world.proposal.public_id}/",
    ):
        response = client_a.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url


def test_person_page_reduced_before_match_full_after(vol_client, world, in_brand):
    reduced = _text(vol_client.get(f"/people/{world.paul.public_id}/"))
    assert "Paul D." in reduced
    assert "Durand" not in reduced and "+33" not in reduced and "rue des Rosiers" not in reduced
    full = _text(vol_client.get(f"/people/{world.jeanne.public_id}/"))
    assert "Jeanne Martin" in full and "+33 1 23 45 67 89" in full and "3 rue des Rosiers" in full


def test_person_page_of_a_stranger_is_404(vol_client, world, in_brand):
    from tests.webapp import factories

    with in_brand(world.brand):
        stranger = factories.person(by=world.coord, first_name="Zoé", last_name="Inconnue")
    assert vol_client.get(f"/people/{stranger.public_id}/").status_code == 404
    assert vol_client.get(f"/people/{uuid.uuid4()}/").status_code == 404


def test_accept_proposal(vol_client, world, in_brand):
    response = vol_client.post(f"/proposals/{world.proposal.public_id}/", {"answer": "accept"})
    assert response.status_code == 302 and response["Location"] == "/"
    with in_brand(world.brand):
        world.proposal.refresh_from_db()
        assert world.proposal.status == "accepted"


def test_decline_needs_a_reason(vol_client, world, in_brand):
    response = vol_client.post(
        f"/proposals/{world.proposal.public_id}/", {"answer": "decline", "reason": ""}
    )
    assert response.status_code == 200
    with in_brand(world.brand):
        world.proposal.refresh_from_db()
        assert world.proposal.status == "pending"
    response = vol_client.post(
        f"/proposals/{world.proposal.public_id}/",
        {"answer": "decline", "reason": "Trop loin pour moi"},
    )
    assert response.status_code == 302
    with in_brand(world.brand):
        world.proposal.refresh_from_db()
        assert (world.proposal.status, world.proposal.response_reason) == (
            "declined",
            "Trop loin pour moi",
        )


def test_someone_elses_proposal_is_404(client_a, world, in_brand, login):
    from tests.webapp import factories

    with in_brand(world.brand):
        other = factories.volunteer(by=world.coord, full_name="Olga Other")
    login(client_a, other, world.brand)
    assert client_a.get(f"/proposals/{world.proposal.public_id}/").status_code == 404
    assert (
        client_a.post(f"/proposals/{world.proposal.public_id}/", {"answer": "accept"}).status_code
        == 404
    )
    with in_brand(world.brand):
        world.proposal.refresh_from_db()
        assert world.proposal.status == "pending"


def _visit_data(**extra):
    data = {
        "kind": "visit",
        "occurred_on": timezone.localdate().isoformat(),
        "duration_minutes": "60",
        "note": "",
        "mood": "good",
        "idempotency_key": str(uuid.uuid4()),
    }
    data.update(extra)
    return data


def test_log_a_visit_in_two_taps(vol_client, world, in_brand):
    """Tap 1: "Log a visit" on home (a link); tap 2: a mood button (submits the pre-filled form)."""
    from visits.models import Visit

    home = _text(vol_client.get("/"))
    form_url = f"/people/{world.jeanne.public_id}/visit/"
    assert f'href="{form_url}"' in home
    form = _text(vol_client.get(form_url))
    assert 'name="mood" value="worried"' in form and 'type="submit"' in form
    response = vol_client.post(form_url, _visit_data(mood="worried", note="Elle tousse beaucoup"))
    assert response.status_code == 302 and response["Location"] == "/"
    with in_brand(world.brand):
        visit = Visit.objects.get(person=world.jeanne)
        assert (visit.volunteer_id, visit.mood, visit.note, visit.duration_minutes) == (
            world.vol.pk,
            "worried",
            "Elle tousse beaucoup",
            60,
        )
        world.jeanne.refresh_from_db()
        assert world.jeanne.last_contact_at is not None


def test_replayed_visit_is_logged_once(vol_client, world, in_brand):
    """The offline queue replays a submission with the same key: one visit, one alert."""
    from visits.models import Visit

    from worker.models import Notification

    data = _visit_data(mood="worried")
    url = f"/people/{world.jeanne.public_id}/visit/"
    first = vol_client.post(url, data, HTTP_ACCEPT="application/json")
    second = vol_client.post(url, data, HTTP_ACCEPT="application/json")
    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["id"] == second.json()["id"]
    assert (first.json()["created"], second.json()["created"]) == (True, False)
    with in_brand(world.brand):
        assert Visit.objects.filter(person=world.jeanne).count() == 1
        assert (
            Notification.objects.filter(kind="visit_worried").values("recipient").distinct().count()
            == 1
        )
        worried = Notification.objects.filter(kind="visit_worried").count()
    third = vol_client.post(url, _visit_data(mood="good"), HTTP_ACCEPT="application/json")
    assert third.status_code == 201
    with in_brand(world.brand):
        assert Visit.objects.filter(person=world.jeanne).count() == 2
        assert Notification.objects.filter(kind="visit_worried").count() == worried


def test_visit_key_of_another_user_is_refused(client_a, vol_client, world, in_brand, login):
    from visits.models import Visit

    from tests.webapp import factories

    data = _visit_data()
    assert (
        vol_client.post(
            f"/people/{world.jeanne.public_id}/visit/", data, HTTP_ACCEPT="application/json"
        ).status_code
        == 201
    )
    with in_brand(world.brand):
        other = factories.volunteer(by=world.coord, full_name="Olga Other")
        factories.matched(by=world.coord, person=world.jeanne, volunteer=other)
    from django.test import Client

    other_client = login(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]), other, world.brand)
    response = other_client.post(
        f"/people/{world.jeanne.public_id}/visit/", data, HTTP_ACCEPT="application/json"
    )
    assert response.status_code == 400
    with in_brand(world.brand):
        assert Visit.objects.filter(person=world.jeanne).count() == 1


def test_invalid_visit_shows_errors_and_logs_nothing(vol_client, world, in_brand):
    from visits.models import Visit

    future = (timezone.localdate() + timezone.timedelta(days=3)).isoformat()
    response = vol_client.post(
        f"/people/{world.jeanne.public_id}/visit/", _visit_data(occurred_on=future)
    )
    assert response.status_code == 200
    assert 'role="alert"' in _text(response) or "errorlist" in _text(response)
    with in_brand(world.brand):
        assert not Visit.objects.filter(person=world.jeanne).exists()


def test_cannot_log_a_visit_for_a_person_not_in_my_circle(vol_client, world, in_brand):
    from visits.models import Visit

    response = vol_client.post(f"/people/{world.paul.public_id}/visit/", _visit_data())
    assert response.status_code == 404
    with in_brand(world.brand):
        assert not Visit.objects.exists()


@pytest.mark.parametrize(
    "flag,path",
    [
        ("visit_log", "/people/{jeanne}/visit/"),
        ("outings", "/outings/"),
        ("messaging", "/circles/{circle}/messages/"),
    ],
)
def test_feature_flag_off_is_404(vol_client, world, flag, path):
    from themes.services import set_theme

    url = path.format(jeanne=world.jeanne.public_id, circle=world.circle.public_id)
    assert vol_client.get(url).status_code == 200
    set_theme(association=world.brand, tokens={"flags": {flag: False}})
    assert vol_client.get(url).status_code == 404


def test_self_signup_follows_the_flag(client_a, brand_a, in_brand):
    from accounts.models import User

    from themes.services import set_theme

    set_theme(association=brand_a, tokens={"flags": {"self_signup": True}})
    response = client_a.post(
        "/signup/",
        {
            "full_name": "Nina Neuve",
            "email": "nina@example.org",
            "password": "un mot de passe solide",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/welcome/charter/"
    with in_brand(brand_a):
        assert User.objects.get(email="nina@example.org").role == "volunteer"
    set_theme(association=brand_a, tokens={"flags": {"self_signup": False}})
    assert client_a.get("/signup/").status_code == 404
    assert (
        client_a.post(
            "/signup/",
            {"full_name": "X", "email": "x@example.org", "password": "un mot de passe solide"},
        ).status_code
        == 404
    )
    with in_brand(brand_a):
        assert not User.objects.filter(email="x@example.org").exists()


def test_visit_form_dates_are_iso_for_the_date_picker(vol_client, world):
    """<input type=date> only accepts ISO dates, whatever the language."""
    html = _text(vol_client.get(f"/people/{world.jeanne.public_id}/visit/"))
    assert f'type="date" name="occurred_on" value="{timezone.localdate().isoformat()}"' in html
