"""Circle threads: posting, notifications once per message and member, unread counts and read
markers, access (members and coordinators only), two-brand isolation, flag, query counts."""

from __future__ import annotations

import json

import pytest
from django.utils import timezone

pytestmark = pytest.mark.django_db


def _send(client, circle, body):
    return client.post(
        f"/api/circles/{circle.public_id}/thread/messages/",
        data=json.dumps({"body": body}),
        content_type="application/json",
    )


def _read(client, circle, message=None):
    body = {"message": message} if message else {}
    return client.post(
        f"/api/circles/{circle.public_id}/thread/read/",
        data=json.dumps(body),
        content_type="application/json",
    )


def _unread(client):
    return {t["circle"]: t["unread_count"] for t in client.get("/api/threads/").json()["results"]}


def test_members_talk_and_unread_counts_follow(client_a, brand_a, make_circle, login, in_brand):
    c = make_circle(brand_a, volunteers=2)
    alice, bob = c.volunteers
    cid = str(c.circle.public_id)

    login(client_a, alice, brand_a)
    assert _unread(client_a) == {cid: 0}
    first = _send(client_a, c.circle, "  Je passe mardi.  ")
    assert first.status_code == 201
    assert (first.json()["body"], first.json()["mine"], first.json()["author"]) == (
        "Je passe mardi.",
        True,
        str(alice.public_id),
    )
    assert _unread(client_a) == {cid: 0}  # one's own messages are read

    login(client_a, bob, brand_a)
    assert _unread(client_a) == {cid: 1}
    second = _send(client_a, c.circle, "Moi jeudi.")
    assert second.status_code == 201
    assert _unread(client_a) == {cid: 0}  # writing marks the thread read up to one's message

    login(client_a, alice, brand_a)
    thread = client_a.get(f"/api/circles/{cid}/thread/").json()
    assert (thread["unread_count"], thread["title"], thread["person_name"]) == (
        1,
        "Les amis de Jeanne",
        "Jeanne M.",
    )
    page = client_a.get(f"/api/circles/{cid}/thread/messages/").json()
    assert [(m["body"], m["mine"]) for m in page["results"]] == [
        ("Moi jeudi.", False),
        ("Je passe mardi.", True),
    ]
    read = _read(client_a, c.circle)
    assert (read.status_code, read.json()["unread_count"]) == (200, 0)

    # The coordinator sees the thread (unread: both messages) and reads up to the first only.
    login(client_a, c.coordinator, brand_a)
    assert _unread(client_a) == {cid: 2}
    assert _read(client_a, c.circle, first.json()["id"]).json()["unread_count"] == 1
    # A read marker never moves back.
    assert _read(client_a, c.circle).json()["unread_count"] == 0
    assert _read(client_a, c.circle, first.json()["id"]).json()["unread_count"] == 0


def test_a_new_message_notifies_the_other_members_once(
    client_a, brand_a, make_circle, login, notifications
):
    c = make_circle(brand_a, volunteers=2)
    alice, bob = c.volunteers
    login(client_a, alice, brand_a)

    message_id = _send(client_a, c.circle, "Bonjour !").json()["id"]

    assert notifications(brand_a, "message_new") == sorted(
        [
            (bob.email, f"message_new:{message_id}:{bob.public_id}"),
            (c.coordinator.email, f"message_new:{message_id}:{c.coordinator.public_id}"),
        ]
    )
    login(client_a, c.coordinator, brand_a)
    _send(client_a, c.circle, "Merci")
    assert [email for email, _ in notifications(brand_a, "message_new")] == sorted(
        [bob.email, c.coordinator.email, alice.email, bob.email]
    )


def test_outsiders_and_former_members_get_404_and_nothing_changes(
    client_a, brand_a, make_circle, make_user, login, in_brand
):
    c = make_circle(brand_a, volunteers=2)
    login(client_a, c.volunteers[0], brand_a)
    _send(client_a, c.circle, "Bonjour")
    with in_brand(brand_a):
        from matching.models import CircleMembership

        CircleMembership.objects.filter(volunteer=c.volunteers[1]).update(left_at=timezone.now())
    for user in (make_user(brand_a, email="outsider@alpha.example"), c.volunteers[1]):
        login(client_a, user, brand_a)
        cid = c.circle.public_id
        assert client_a.get("/api/threads/").json()["results"] == []
        assert client_a.get(f"/api/circles/{cid}/thread/").status_code == 404
        assert client_a.get(f"/api/circles/{cid}/thread/messages/").status_code == 404
        assert _send(client_a, c.circle, "intrus").status_code == 404
        assert _read(client_a, c.circle).status_code == 404
    with in_brand(brand_a):
        from messaging.models import Message, ReadMarker

        assert list(Message.objects.values_list("body", flat=True)) == ["Bonjour"]
        assert ReadMarker.objects.count() == 1


def test_a_closed_circle_is_read_only(client_a, brand_a, make_circle, login, in_brand):
    c = make_circle(brand_a)
    with in_brand(brand_a):
        from matching.models import Circle

        Circle.objects.filter(pk=c.circle.pk).update(status="closed")
    login(client_a, c.volunteers[0], brand_a)
    response = _send(client_a, c.circle, "Encore là ?")
    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "non_field_errors": ["Ce cercle est fermé : sa discussion est en lecture seule."]
    }


def test_empty_messages_are_refused(client_a, brand_a, make_circle, login, in_brand):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    assert _send(client_a, c.circle, "   ").status_code == 400
    with in_brand(brand_a):
        from messaging.models import Message

        assert Message.objects.count() == 0


def test_brand_b_gets_404_for_brand_a_threads_and_nothing_changes(
    client_a, client_b, brand_a, brand_b, make_circle, make_user, login, in_brand
):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    message_id = _send(client_a, c.circle, "Bonjour").json()["id"]
    for role in ("volunteer", "coordinator", "brand_admin"):
        login(client_b, make_user(brand_b, email=f"{role}@beta.example", role=role), brand_b)
        cid = c.circle.public_id
        assert client_b.get("/api/threads/").json()["results"] == []
        assert client_b.get(f"/api/circles/{cid}/thread/").status_code == 404
        assert client_b.get(f"/api/circles/{cid}/thread/messages/").status_code == 404
        assert _send(client_b, c.circle, "intrus").status_code == 404
        assert _read(client_b, c.circle, message_id).status_code == 404
    with in_brand(brand_a):
        from messaging.models import Message, ReadMarker

        assert Message.objects.count() == 1
        assert ReadMarker.objects.count() == 1
    with in_brand(brand_b):
        assert Message.objects.count() == 0


def test_messaging_flag_off_hides_everything(client_a, brand_a, make_circle, login, set_flags):
    c = make_circle(brand_a)
    login(client_a, c.volunteers[0], brand_a)
    assert _send(client_a, c.circle, "Bonjour").status_code == 201
    set_flags(brand_a, messaging=False)
    cid = c.circle.public_id
    assert client_a.get("/api/threads/").status_code == 404
    assert client_a.get(f"/api/circles/{cid}/thread/").status_code == 404
    assert client_a.get(f"/api/circles/{cid}/thread/messages/").status_code == 404
    assert _send(client_a, c.circle, "Encore").status_code == 404
    assert _read(client_a, c.circle).status_code == 404


def test_thread_and_message_lists_query_counts_are_pinned(
    client_a, brand_a, make_circle, login, in_brand, django_assert_num_queries
):
    coordinator = make_circle(brand_a).coordinator
    circles = [make_circle(brand_a, volunteers=2, coordinator=coordinator) for _ in range(3)]
    with in_brand(brand_a):
        from messaging.services import post_message

        for c in circles:
            for i in range(3):
                post_message(acting_user=c.volunteers[i % 2], circle=c.circle, body=f"message {i}")
    login(client_a, coordinator, brand_a)
    client_a.get("/api/threads/")  # warm the per-process theme cache (feature flags)
    with django_assert_num_queries(QUERIES_THREAD_LIST):
        response = client_a.get("/api/threads/")
    assert [t["unread_count"] for t in response.json()["results"]] == [3, 3, 3, 0]

    with django_assert_num_queries(QUERIES_MESSAGE_LIST):
        response = client_a.get(f"/api/circles/{circles[0].circle.public_id}/thread/messages/")
    assert response.json()["count"] == 3


# (SET search_path + query) x (domain, session, user, [circle], count, page): constant in the
# number of circles and messages.
QUERIES_THREAD_LIST = 10
QUERIES_MESSAGE_LIST = 12
