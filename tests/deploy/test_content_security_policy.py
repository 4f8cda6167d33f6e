"""The production Content-Security-Policy does not break the pages.

The policy allows scripts from the page's own host only. So every page must load its scripts
from files (no inline <script>, no on* handler attributes, no javascript: URLs) on the same host,
and its styles, images, fonts and forms from the same host too. The test crawls the brand and
operator pages that link from the home and login pages, as a visitor and as signed-in members,
under the exact production policy and middleware, and checks every HTML page it reaches.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import environ
import pytest
from django.conf import settings
from django.test import Client, override_settings
from entraide.production import (
    CSP_EXCLUDED_PREFIXES,
    CSP_MIDDLEWARE,
    SECURITY_MIDDLEWARE,
    content_security_policy,
)

MAX_PAGES = 40
SKIPPED_PREFIXES = ("/static/", "/media/", "/i18n/", "/accounts/logout/", *CSP_EXCLUDED_PREFIXES)
# Django's admin is audited at its entry pages only (its model pages are Django's own templates).
NOT_FOLLOWED_PREFIXES = ("/admin/",)


def production_csp():
    middleware = list(settings.MIDDLEWARE)
    middleware.insert(middleware.index(SECURITY_MIDDLEWARE) + 1, CSP_MIDDLEWARE)
    policy = content_security_policy(environ.Env())
    return override_settings(
        MIDDLEWARE=middleware,
        INSTALLED_APPS=[*settings.INSTALLED_APPS, "csp"],
        CONTENT_SECURITY_POLICY=policy,
    )


class PageAudit(HTMLParser):
    """Collects what the policy would block, and the page's same-host links."""

    def __init__(self, host: str):
        super().__init__(convert_charrefs=True)
        self.host = host
        self.problems: list[str] = []
        self.links: list[str] = []
        self._in_inline_script = False

    def _same_origin(self, url: str) -> bool:
        parts = urlsplit(url)
        return parts.scheme in ("", "http", "https") and parts.netloc in ("", self.host)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        for name, value in attrs.items():
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=...> inline event handler")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.problems.append(f"<{tag} {name}=javascript:...>")
        if tag == "script":
            src = attrs.get("src")
            if not src:
                if (attrs.get("type") or "").lower() not in (
                    "application/json",
                    "application/ld+json",
                ):
                    self._in_inline_script = True
            elif not self._same_origin(src):
                self.problems.append(f"<script src={src}> from another origin")
        elif (
            tag == "link"
            and "stylesheet" in (attrs.get("rel") or "")
            and not self._same_origin(attrs.get("href", ""))
        ):
            self.problems.append(
                f"<link rel=stylesheet href={attrs.get('href')}> from another origin"
            )
        elif tag in ("img", "source", "audio", "video") and attrs.get("src"):
            src = attrs["src"]
            if not (self._same_origin(src) or src.startswith(("data:", "blob:"))):
                self.problems.append(f"<{tag} src={src}> from another origin")
        elif tag == "form" and attrs.get("action") and not self._same_origin(attrs["action"]):
            self.problems.append(f"<form action={attrs['action']}> to another origin")
        elif tag in ("iframe", "object", "embed"):
            self.problems.append(f"<{tag}> is blocked (object-src/frame policy)")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.problems.append(f"inline <script>: {data.strip()[:60]!r}")


def crawl(client: Client, host: str, start: list[str]) -> dict[str, list[str]]:
    seen, queue, audited = set(), list(start), {}
    while queue and len(audited) < MAX_PAGES:
        path = queue.pop(0)
        if path in seen or path.startswith(SKIPPED_PREFIXES):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        policy = response.get("Content-Security-Policy", "")
        assert "script-src 'self'" in policy, path
        audit = PageAudit(host)
        audit.feed(response.content.decode())
        audited[path] = audit.problems
        for link in audit.links:
            parts = urlsplit(urljoin(f"http://{host}{path}", link))
            if (
                parts.netloc == host
                and parts.path not in seen
                and not parts.path.startswith(NOT_FOLLOWED_PREFIXES)
            ):
                queue.append(parts.path)
    return audited


def assert_clean(audited: dict[str, list[str]], must_include: set[str]):
    assert must_include <= set(audited), f"pages not reached: {must_include - set(audited)}"
    problems = {path: found for path, found in audited.items() if found}
    assert problems == {}


def test_the_production_policy_is_strict_about_scripts():
    policy = content_security_policy(environ.Env())["DIRECTIVES"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]


def test_the_audit_does_catch_what_the_policy_blocks():
    audit = PageAudit("alpha.localhost")
    audit.feed(
        '<script>alert(1)</script><script src="https://cdn.example.net/x.js"></script>'
        '<button onclick="go()">x</button><a href="javascript:go()">y</a>'
        '<script src="/static/app.js"></script><script type="application/json">{"a": 1}</script>'
    )
    assert audit.problems == [
        "inline <script>: 'alert(1)'",
        "<script src=https://cdn.example.net/x.js> from another origin",
        "<button onclick=...> inline event handler",
        "<a href=javascript:...>",
    ]


@pytest.mark.parametrize("role", [None, "volunteer", "coordinator", "brand_admin"])
def test_brand_pages_work_under_the_production_policy(brand_a, make_user, login, role):
    host = brand_a.get_primary_domain().domain
    client = Client(HTTP_HOST=host)
    if role:
        login(client, make_user(brand_a, role=role), brand_a)
    with production_csp():
        audited = crawl(client, host, ["/", "/accounts/login/"])
    assert_clean(audited, {"/"} if role else {"/accounts/login/"})


def test_operator_console_pages_work_under_the_production_policy(db, make_user, login):
    host = settings.BASE_DOMAIN
    client = Client(HTTP_HOST=host)
    with production_csp():
        anonymous = crawl(client, host, ["/", "/accounts/login/", "/admin/login/"])
        login(client, make_user(None, role="operator", is_staff=True, is_superuser=True))
        operator = crawl(client, host, ["/", "/admin/"])
    assert_clean(anonymous, {"/accounts/login/", "/admin/login/"})
    assert_clean(operator, {"/admin/"})
