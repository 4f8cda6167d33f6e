"""The operator console (bare base domain): operators only; brand list with health; provision in
one form (field errors shown); suspend/reactivate; add a domain; the create_operator command."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import timezone

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator(make_user):
    return make_user(None, email="ops@entraide.example", role="operator", is_staff=True)


@pytest.fixture
def console(public_client, operator, login):
    login(public_client, operator, None)
    public_client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return public_client


def test_anonymous_is_sent_to_login(public_client):
    response = public_client.get("/console/brands/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    home = public_client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert b"Operators: sign in" in home.content


def test_non_operators_are_refused(public_client, make_user, login, brand_a, client_a, in_brand):
    from tenants.models import Association

    public_user = make_user(None, email="someone@entraide.example", role="volunteer")
    login(public_client, public_user, None)
    assert public_client.get("/console/brands/").status_code == 403
    assert (
        public_client.post(
            "/console/brands/new/", {"name": "X", "slug": "xbrand", "admin_email": "a@x.org"}
        ).status_code
        == 403
    )
    assert public_client.post(f"/console/brands/{brand_a.public_id}/suspend/").status_code == 403
    assert (
        public_client.post(
            f"/console/brands/{brand_a.public_id}/domains/", {"domain": "x.example"}
        ).status_code
        == 403
    )
    assert (
        public_client.get("/console/jobs/6f1c1f43-7a57-4a0c-9a55-0c0f2b1d2a11/").status_code == 403
    )
    brand_a.refresh_from_db()
    assert brand_a.status == "active" and not Association.objects.filter(slug="xbrand").exists()
    # a brand admin on their own host: the console does not exist there
    admin = make_user(brand_a, role="brand_admin")
    login(client_a, admin, brand_a)
    assert client_a.get("/console/brands/").status_code == 404


def test_brand_list_shows_health(console, brand_a, brand_b, in_brand, make_user):
    from people.models import Person
    from visits.models import Visit

    from worker.models import Notification

    make_user(brand_a, role="coordinator")
    with in_brand(brand_a):
        from accounts.models import User

        users_a = User.objects.filter(is_active=True).count()
        person = Person.objects.create(first_name="Ada", last_name="L")
        Visit.objects.create(
            person=person,
            kind="visit",
            mood="good",
            duration_minutes=30,
            occurred_on=timezone.localdate() - dt.timedelta(days=3),
        )
        Visit.objects.create(
            person=person,
            kind="visit",
            mood="good",
            duration_minutes=30,
            occurred_on=timezone.localdate() - dt.timedelta(days=45),
        )
        Notification.objects.create(
            recipient=User.objects.first(),
            kind="test",
            channel="email",
            status="failed",
            idempotency_key="console-test-1",
        )
    html = console.get("/console/brands/").content.decode()

    def cell(slug, key):
        row = re.search(rf'<tr data-brand="{slug}">(.*?)</tr>', html, re.S).group(1)
        return int(re.search(rf'data-health="{key}">(\d+)<', row).group(1))

    assert (
        cell("alpha", "users"),
        cell("alpha", "people"),
        cell("alpha", "visits_30d"),
        cell("alpha", "notifications_failed"),
    ) == (users_a, 1, 1, 1)
    assert (
        cell("beta", "people"),
        cell("beta", "visits_30d"),
        cell("beta", "notifications_failed"),
    ) == (0, 0, 0)
    assert console.get("/").content.decode().count('data-brand="') == html.count('data-brand="')


def test_brand_list_query_count_does_not_grow_per_brand(console, django_assert_num_queries):
    from tenants.services import provision_brand

    console.get("/console/brands/")
    with django_assert_num_queries(BRAND_LIST_QUERIES):
        console.get("/console/brands/")
    for slug in ("gamma", "delta"):
        provision_brand(
            slug=slug,
            name=slug.title(),
            admin_email=f"a@{slug}.example",
            send_invitation=False,
            use_pool=False,
        )
    with django_assert_num_queries(BRAND_LIST_QUERIES):
        html = console.get("/console/brands/").content.decode()
    assert 'data-brand="gamma"' in html and 'data-brand="delta"' in html


BRAND_LIST_QUERIES = 16  # incl. the savepoint around the health statement


@pytest.fixture
def eager_celery():
    """Run enqueued tasks in-process (the real task code; no worker, no broker)."""
    from worker.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_provision_through_the_form(
    console, in_brand, eager_celery, django_capture_on_commit_callbacks
):
    from accounts.models import User

    from tenants.models import Association

    assert console.get("/console/brands/new/").status_code == 200
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = console.post(
            "/console/brands/new/",
            {
                "name": "Nouvelle Entraide",
                "slug": "nouvelle",
                "admin_email": "Chef@Nouvelle.example",
                "admin_name": "Chef",
                "domains": "entraide-nouvelle.example",
            },
        )
    assert response.status_code == 302 and response["Location"].startswith("/console/jobs/")
    job_url = response["Location"]
    # queued: nothing created yet, the page shows the progress and refreshes itself
    assert not Association.objects.filter(slug="nouvelle").exists()
    queued = console.get(job_url).content.decode()
    assert (
        'data-state="queued"' in queued
        and 'data-final="false"' in queued
        and "console-poll.js" in queued
    )
    assert f'data-poll-url="{job_url}?fragment=1"' in queued
    assert len(callbacks) == 1
    callbacks[0]()  # the request commits: the job is enqueued (and runs, eagerly)
    brand = Association.objects.get(slug="nouvelle")
    assert brand.status == "active" and brand.name == "Nouvelle Entraide"
    assert sorted(brand.domains.values_list("domain", flat=True)) == [
        "entraide-nouvelle.example",
        "nouvelle.localhost",
    ]
    with in_brand(brand):
        admin = User.objects.get()
        assert (admin.email, admin.role) == ("chef@nouvelle.example", "brand_admin")
    done = console.get(job_url).content.decode()
    assert (
        'data-state="done"' in done
        and 'data-final="true"' in done
        and "console-poll.js" not in done
    )
    assert f"/console/brands/{brand.public_id}/" in done
    fragment = console.get(job_url + "?fragment=1").content.decode()
    assert fragment.startswith('<section id="provisioning-job"')
    page = console.get(f"/console/brands/{brand.public_id}/")
    assert b'data-ready="true"' in page.content


def test_a_job_that_fails_shows_its_errors(
    console, eager_celery, django_capture_on_commit_callbacks
):
    from tenants.models import Association
    from tenants.services import provision_brand

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = console.post(
            "/console/brands/new/",
            {"name": "Course", "slug": "course", "admin_email": "a@course.example"},
        )
    # someone else takes the slug before the job runs
    provision_brand(
        slug="course",
        name="Other",
        admin_email="b@course.example",
        send_invitation=False,
        use_pool=False,
    )
    callbacks[0]()
    failed = console.get(response["Location"]).content.decode()
    assert (
        'data-state="failed"' in failed
        and "already exists" in failed
        and "Address (slug): " in failed
    )
    assert Association.objects.get(slug="course").name == "Other"


def test_unknown_job_is_404(console):
    assert console.get("/console/jobs/6f1c1f43-7a57-4a0c-9a55-0c0f2b1d2a11/").status_code == 404


def test_provision_errors_are_shown_field_by_field(console, brand_a):
    from tenants.models import Association

    before = Association.objects.count()
    response = console.post(
        "/console/brands/new/", {"name": "", "slug": "Bad Slug!", "admin_email": "nope"}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"name", "slug", "admin_email"}
    assert b'id="id_slug-errors"' in response.content
    taken = console.post(
        "/console/brands/new/", {"name": "Again", "slug": "alpha", "admin_email": "a@b.org"}
    )
    assert "already exists" in " ".join(taken.context["form"].errors["slug"])
    assert Association.objects.count() == before


def test_suspend_and_reactivate(console, brand_b, client_b):
    response = console.post(f"/console/brands/{brand_b.public_id}/suspend/")
    assert response.status_code == 302
    brand_b.refresh_from_db()
    assert brand_b.status == "suspended"
    assert client_b.get("/").status_code == 503
    console.post(f"/console/brands/{brand_b.public_id}/reactivate/")
    brand_b.refresh_from_db()
    assert brand_b.status == "active"
    assert client_b.get("/").status_code == 200


def test_add_a_domain(console, brand_a, brand_b):
    from tenants.models import Domain

    response = console.post(
        f"/console/brands/{brand_a.public_id}/domains/", {"domain": "Entraide-Alpha.example"}
    )
    assert response.status_code == 302
    assert Domain.objects.get(domain="entraide-alpha.example").tenant_id == brand_a.pk
    # already used by another brand: the field error, nothing changes
    response = console.post(
        f"/console/brands/{brand_b.public_id}/domains/", {"domain": "entraide-alpha.example"}
    )
    assert response.status_code == 400
    assert "already in use" in " ".join(response.context["domain_form"].errors["domain"])
    assert Domain.objects.get(domain="entraide-alpha.example").tenant_id == brand_a.pk


def test_create_operator_command(monkeypatch, public_client):
    from accounts.models import User
    from django.contrib.auth import authenticate
    from django_tenants.utils import schema_context

    with pytest.raises(CommandError):
        call_command(
            "create_operator", "ops2@entraide.example", "--password-from-env", "NOT_SET_ANYWHERE"
        )
    monkeypatch.setenv("OPS_PASSWORD", "a long operator passphrase")
    call_command("create_operator", "Ops2@entraide.example", "--password-from-env", "OPS_PASSWORD")
    call_command(
        "create_operator", "ops2@entraide.example", "--password-from-env", "OPS_PASSWORD"
    )  # idempotent
    with schema_context("public"):
        user = User.objects.get(email="ops2@entraide.example")
        assert user.role == "operator" and user.is_operator
        assert (
            authenticate(email="ops2@entraide.example", password="a long operator passphrase")
            == user
        )
        assert User.objects.filter(email="ops2@entraide.example").count() == 1
    response = public_client.post(
        "/accounts/login/",
        {"username": "ops2@entraide.example", "password": "a long operator passphrase"},
    )
    assert response.status_code == 302
    assert public_client.get("/console/brands/").status_code == 200


def test_seed_demo_prints_an_operator_login_and_is_idempotent(public_client):
    import io

    from accounts.models import User
    from django_tenants.utils import schema_context
    from entraide.demo import DEMO_OPERATOR_EMAIL, DEMO_PASSWORD, ensure_demo_operator

    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()
    assert (
        f"Operator console: {settings.SITE_SCHEME}://localhost" in text
        and f"operator:     {DEMO_OPERATOR_EMAIL}" in text
    )
    assert ensure_demo_operator() == DEMO_OPERATOR_EMAIL  # again: nothing new
    with schema_context("public"):
        assert User.objects.filter(email=DEMO_OPERATOR_EMAIL, role="operator").count() == 1
    response = public_client.post(
        "/accounts/login/", {"username": DEMO_OPERATOR_EMAIL, "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert public_client.get("/console/brands/").status_code == 200


def test_a_broken_brand_schema_does_not_hide_the_others(console, brand_a):
    from django.db import connection

    from tenants.services import provision_brand

    broken = provision_brand(
        slug="broken",
        name="Broken",
        admin_email="a@broken.example",
        send_invitation=False,
        use_pool=False,
    ).association
    with connection.cursor() as cursor:  # rolled back with the test's transaction
        cursor.execute('DROP TABLE "broken"."people_person" CASCADE')
    html = console.get("/console/brands/").content.decode()
    row = re.search(r'<tr data-brand="broken">(.*?)</tr>', html, re.S).group(1)
    assert "data-health=" not in row and "—" in row
    alpha = re.search(r'<tr data-brand="alpha">(.*?)</tr>', html, re.S).group(1)
    assert 'data-health="people"' in alpha
    assert broken.status == "active"


def test_console_pages_have_a_fixed_query_count(
    console, brand_a, django_assert_num_queries, eager_celery, django_capture_on_commit_callbacks
):
    from tenants.models import Domain

    with django_capture_on_commit_callbacks(execute=True):
        job_url = console.post(
            "/console/brands/new/",
            {"name": "Pinned", "slug": "pinned", "admin_email": "a@pinned.example"},
        )["Location"]
    urls = {
        "/console/brands/new/": CONSOLE_QUERIES["form"],
        f"/console/brands/{brand_a.public_id}/": CONSOLE_QUERIES["brand"],
        job_url: CONSOLE_QUERIES["job"],
    }
    for url in urls:
        console.get(url)
    for round_ in range(2):
        for url, expected in urls.items():
            with django_assert_num_queries(expected):
                assert console.get(url).status_code == 200
        Domain.objects.bulk_create(
            [
                Domain(domain=f"pin{round_}-{i}.example", tenant=brand_a, is_primary=False)
                for i in range(3)
            ]
        )


CONSOLE_QUERIES = {"form": 6, "brand": 18, "job": 12}  # incl. django-tenants SET search_path
