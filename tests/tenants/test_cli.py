import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tenants.models import Association


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_provision_brand_cli(db):
    output = run(
        "provision_brand",
        "delta",
        "--name",
        "Delta Asso",
        "--admin-email",
        "boss@delta.example",
        "--domain",
        "delta-benevoles.org",
        "--no-email",
    )
    assert "Brand 'delta' is ready" in output
    assert "http://delta.localhost/" in output or "https://delta.localhost/" in output
    assert "invitation:" in output and "/accounts/invitation/" in output
    brand = Association.objects.get(slug="delta")
    assert sorted(brand.domains.values_list("domain", flat=True)) == [
        "delta-benevoles.org",
        "delta.localhost",
    ]


def test_provision_brand_cli_reports_validation_errors_without_a_traceback(db):
    with pytest.raises(CommandError) as excinfo:
        run("provision_brand", "www", "--name", "X", "--admin-email", "nope")
    message = str(excinfo.value)
    assert "slug: The slug “www” is reserved" in message
    assert "admin_email: “nope” is not a valid e-mail address." in message
    assert not Association.objects.filter(slug="www").exists()


def test_provision_brand_cli_existing_slug(db):
    with pytest.raises(CommandError, match="A brand with the slug “alpha” already exists"):
        run("provision_brand", "alpha", "--name", "Again", "--admin-email", "a@b.org")


def test_provision_brand_cli_bad_theme_file(db, tmp_path):
    bad = tmp_path / "theme.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError, match="cannot read the theme file"):
        run(
            "provision_brand",
            "epsilon",
            "--name",
            "E",
            "--admin-email",
            "a@b.org",
            "--theme-file",
            str(bad),
        )
    assert not Association.objects.filter(slug="epsilon").exists()


def test_list_brands(db):
    output = run("list_brands")
    assert "alpha" in output and "beta" in output and "2 brand(s)" in output
    rows = json.loads(run("list_brands", "--json"))
    assert [r["slug"] for r in rows] == ["alpha", "beta"]
    assert rows[0]["domains"] == ["alpha.localhost"]


def test_suspend_brand_cli(brand_a):
    assert "now suspended" in run("suspend_brand", "alpha")
    assert Association.objects.get(slug="alpha").status == "suspended"
    assert "now active" in run("suspend_brand", "alpha", "--reactivate")
    with pytest.raises(CommandError, match="no brand with the slug 'nope'"):
        run("suspend_brand", "nope")
