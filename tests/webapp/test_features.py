"""Outings, circle messages, settings, "my data", onboarding and the PWA endpoints."""

import datetime as dt
import json
import uuid

from django.utils import timezone

from tests.webapp import factories


def _outing(coord, **extra):
    from outings.services import create_outing

    start = timezone.now() + dt.timedelta(days=3)
    values = {
        "title": "Balade au parc",
        "place": "Parc Monceau",
        "starts_at": start,
        "ends_at": start + dt.timedelta(hours=2),
        "capacity": 1,
    }
    values.update(extra)
    return create_outing(acting_user=coord, **values)


def test_outings_list_signup_cancel_and_ics(vol_client, world, in_brand):
    from outings.models import OutingSignup

    with in_brand(world.brand):
        outing = _outing(world.coord)
    listing = vol_client.get("/outings/").content.decode()
    assert "Balade au parc" in listing and f"/outings/{outing.public_id}/" in listing
    response = vol_client.post(f"/outings/{outing.public_id}/", {"action": "signup"})
    assert response.status_code == 302
    with in_brand(world.brand):
        assert (
            OutingSignup.objects.filter(
                outing=outing, volunteer=world.vol, cancelled_at__isnull=True
            ).count()
            == 1
        )
    assert "Balade au parc" in vol_client.get("/").content.decode()  # home: coming up
    ics = vol_client.get(f"/outings/{outing.public_id}/calendar.ics")
    assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ics.content and b"Balade au parc" in ics.content
    vol_client.post(f"/outings/{outing.public_id}/", {"action": "cancel"})
    with in_brand(world.brand):
        assert (
            OutingSignup.objects.filter(
                outing=outing, volunteer=world.vol, cancelled_at__isnull=True
            ).count()
            == 0
        )


def test_full_outing_refuses_a_second_volunteer(vol_client, client_a, world, in_brand, login):
    from django.test import Client
    from outings.models import OutingSignup

    with in_brand(world.brand):
        outing = _outing(world.coord, capacity=1)
        other = factories.volunteer(by=world.coord, full_name="Olga Other")
    vol_client.post(f"/outings/{outing.public_id}/", {"action": "signup"})
    other_client = login(Client(HTTP_HOST=client_a.defaults["HTTP_HOST"]), other, world.brand)
    response = other_client.post(f"/outings/{outing.public_id}/", {"action": "signup"}, follow=True)
    assert "full" in response.content.decode() or "complète" in response.content.decode()
    with in_brand(world.brand):
        assert OutingSignup.objects.filter(outing=outing, cancelled_at__isnull=True).count() == 1


def test_circle_messages(vol_client, world, in_brand):
    from messaging.models import Message

    url = f"/circles/{world.circle.public_id}/messages/"
    assert vol_client.get(url).status_code == 200
    response = vol_client.post(url, {"body": "Jeanne aimerait aller au marché samedi."})
    assert response.status_code == 302
    assert "Jeanne aimerait aller au marché samedi." in vol_client.get(url).content.decode()
    with in_brand(world.brand):
        assert Message.objects.filter(author=world.vol).count() == 1


def test_messages_of_a_circle_i_am_not_in_are_404(vol_client, world, in_brand):
    from messaging.models import Message

    with in_brand(world.brand):
        other = factories.volunteer(by=world.coord, full_name="Olga Other")
        zoe = factories.person(by=world.coord, first_name="Zoé", last_name="Autre")
        circle = factories.matched(by=world.coord, person=zoe, volunteer=other)
    url = f"/circles/{circle.public_id}/messages/"
    assert vol_client.get(url).status_code == 404
    assert vol_client.post(url, {"body": "intrus"}).status_code == 404
    with in_brand(world.brand):
        assert not Message.objects.exists()


def test_notification_preferences(vol_client, world, in_brand):
    from worker.models import NotificationPreference

    page = vol_client.get("/settings/").content.decode()
    assert 'name="pref:visit_worried:email"' in page or 'name="pref:' in page
    import re

    names = sorted(set(re.findall(r'name="(pref:[^"]+)"', page)))
    assert names, "no preference rows"
    keep = [n for n in names if n.endswith(":email")]
    response = vol_client.post("/settings/", {n: "on" for n in keep})
    assert response.status_code == 302
    with in_brand(world.brand):
        prefs = {
            (p.kind, p.channel): p.enabled
            for p in NotificationPreference.objects.filter(user=world.vol)
        }
    assert len(prefs) == len(names)
    assert all(enabled == (channel == "email") for (_kind, channel), enabled in prefs.items())


def test_settings_wire_the_push_endpoint(vol_client, world):
    page = vol_client.get("/settings/").content.decode()
    assert 'data-subscribe-url="/api/notifications/push/subscriptions/"' in page
    assert 'id="push-enable"' in page


def test_text_size_cookie_sets_the_class(client_a, brand_a):
    response = client_a.post("/settings/text-size/", {"size": "large", "next": "/outings/"})
    assert response.status_code == 302 and response["Location"] == "/outings/"
    assert response.cookies["text_size"].value == "large"
    assert 'class="large-text"' in client_a.get("/").content.decode()
    client_a.post("/settings/text-size/", {"size": "normal", "next": "//evil.example/"})
    assert 'class="large-text"' not in client_a.get("/").content.decode()


def test_language_switch(client_a, brand_a):
    french = client_a.get("/").content.decode()
    assert '<html lang="fr"' in french
    client_a.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client_a.get("/").content.decode()
    assert '<html lang="en"' in english and "Sign in" in english


def test_export_my_data(vol_client, world):
    vol_client.post(
        f"/people/{world.jeanne.public_id}/visit/",
        {
            "kind": "call",
            "occurred_on": timezone.localdate().isoformat(),
            "duration_minutes": "30",
            "note": "Appel du dimanche",
            "mood": "good",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    response = vol_client.get("/my-data/export.json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == world.vol.email
    assert data["volunteer_profile"]["availability"] == ["tue_afternoon", "sat_morning"]
    assert [v["note"] for v in data["visits"]] == ["Appel du dimanche"]
    assert [p["person"] for p in data["proposals"]] == ["Jeanne M.", "Paul D."]
    assert len(data["circles"]) == 1


def test_delete_my_account_needs_confirmation_then_anonymises(vol_client, world, in_brand):
    from django.contrib.auth import get_user_model
    from matching.models import CircleMembership, Proposal
    from visits.models import Visit

    url = f"/people/{world.jeanne.public_id}/visit/"
    vol_client.post(
        url,
        {
            "kind": "visit",
            "occurred_on": timezone.localdate().isoformat(),
            "duration_minutes": "60",
            "mood": "good",
            "idempotency_key": str(uuid.uuid4()),
        },
    )
    from worker.models import Notification

    with in_brand(world.brand):
        assert Notification.objects.filter(
            recipient=world.vol, status="pending"
        ).exists()  # the proposals
    wrong = vol_client.post("/my-data/delete/", {"confirm_email": "someone@else.org"})
    assert wrong.status_code == 400
    with in_brand(world.brand):
        assert get_user_model().objects.get(pk=world.vol.pk).is_active
    response = vol_client.post("/my-data/delete/", {"confirm_email": world.vol.email.upper()})
    assert response.status_code == 200
    with in_brand(world.brand):
        user = get_user_model().objects.get(pk=world.vol.pk)
        assert (user.is_active, user.full_name, user.has_usable_password()) == (False, "", False)
        assert user.email == f"deleted-{user.public_id}@invalid"
        profile = user.volunteer_profile
        assert (profile.phone, profile.address, profile.latitude, profile.current_load) == (
            "",
            "",
            None,
            0,
        )
        assert not CircleMembership.objects.filter(volunteer=user, left_at__isnull=True).exists()
        assert not Proposal.objects.filter(
            volunteer=user, status__in=["pending", "accepted"]
        ).exists()
        visit = Visit.objects.get(person=world.jeanne)  # the person's history stays
        assert visit.volunteer_id == user.pk
        assert not Notification.objects.filter(recipient=user, status="pending").exists()
    assert vol_client.get("/settings/").status_code == 302  # signed out


def test_onboarding_charter_then_profile(client_a, brand_a, in_brand, login):
    from volunteers.models import VettingRecord

    with in_brand(brand_a):
        coord = factories.coordinator()
        from accounts.models import User

        user = User.objects.create_user(
            email="new@example.org", password="x" * 12, role="volunteer", full_name="Nora New"
        )
    login(client_a, user, brand_a)
    assert "/welcome/charter/" in client_a.get("/").content.decode()
    assert client_a.post("/welcome/charter/", {}).status_code == 200  # box not ticked
    response = client_a.post("/welcome/charter/", {"accept": "on"})
    assert response.status_code == 302 and response["Location"] == "/welcome/profile/"
    response = client_a.post(
        "/welcome/profile/",
        {
            "availability": ["mon_morning", "wed_afternoon"],
            "interests": ["chess"],
            "languages": ["fr"],
            "address": "",
            "latitude": "48.85",
            "longitude": "2.35",
            "radius_km": "5.0",
            "phone": "",
        },
    )
    assert response.status_code == 302
    with in_brand(brand_a):
        profile = user.volunteer_profile
        profile.refresh_from_db()
        assert profile.availability == ["mon_morning", "wed_afternoon"]
        assert (profile.latitude, profile.longitude, profile.radius_km) == (48.85, 2.35, 5.0)
        assert VettingRecord.objects.filter(profile=profile, step__kind="charter").count() == 1
    assert coord.pk


def test_service_worker_served_from_root(client_a, brand_a):
    response = client_a.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "__SHELL__" not in body and '"/offline/"' in body and "/theme/" in body


def test_offline_page(client_a, brand_a):
    response = client_a.get("/offline/")
    assert response.status_code == 200
    assert 'id="offline-queue-status"' in response.content.decode()


def test_home_shows_unread_messages(vol_client, world, in_brand):
    from messaging.services import post_message

    with in_brand(world.brand):
        post_message(acting_user=world.coord, circle=world.circle, body="Bonjour !")
        post_message(acting_user=world.coord, circle=world.circle, body="Des nouvelles ?")
    assert '<span class="badge">2 nouveaux</span>' in vol_client.get("/").content.decode()
    vol_client.get(f"/circles/{world.circle.public_id}/messages/")  # reading marks them read
    assert 'class="badge"' not in vol_client.get("/").content.decode()


def test_accepting_an_invitation_leads_to_onboarding(client_a, brand_a, in_brand):
    from accounts.services import invite_member

    with in_brand(brand_a):
        coord = factories.coordinator()
        user, _invitation, url = invite_member(
            acting_user=coord,
            email="invited@example.org",
            full_name="Inès Invitée",
            send_email=False,
        )
    path = "/" + url.split("/", 3)[3]
    page = client_a.get(path)
    assert page.status_code == 200
    assert 'href="/theme/' in page.content.decode()  # the brand's layout
    response = client_a.post(
        path, {"password1": "un mot de passe solide", "password2": "un mot de passe solide"}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    home = client_a.get("/").content.decode()
    assert "Inès" in home and "/welcome/charter/" in home
    assert client_a.get(path).status_code == 404  # used once
