"""Rendering a notification's texts from `notifications/<kind>/` templates, with the stored
context plus `brand` and `recipient`, in the recipient's language."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import get_template, render_to_string, select_template
from django.utils import translation
from django.utils.html import linebreaks, urlize

from worker.channels import PermanentError


@dataclass
class Rendered:
    subject: str
    text: str
    html: str
    short: str


def language_for(recipient, brand) -> str:
    if getattr(recipient, "preferred_language", ""):
        return recipient.preferred_language
    try:
        from themes import settings_for

        return settings_for(brand).default_locale or "fr"
    except Exception:
        return "fr"


def _optional(name: str, context: dict) -> str | None:
    try:
        template = get_template(name)
    except TemplateDoesNotExist:
        return None
    return template.render(context)


def render_short(notification, brand, language: str | None = None) -> tuple[str, str]:
    """(subject, short text) for push and SMS; renders only what those need."""
    context = dict(notification.context or {})
    context.update(brand=brand, recipient=notification.recipient, notification=notification)
    base = f"notifications/{notification.kind}"
    with translation.override(language or language_for(notification.recipient, brand)):
        short = _optional(f"{base}/short.txt", context)
        try:
            subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
        except TemplateDoesNotExist as exc:
            if short is None:
                raise PermanentError(f"missing template {exc}") from exc
            subject = ""
    return subject, " ".join((short if short is not None else subject).split())


def render(notification, brand, *, extra: dict | None = None, html: bool = False) -> Rendered:
    context = dict(notification.context or {})
    context.update(brand=brand, recipient=notification.recipient, notification=notification)
    context.update(extra or {})
    base = f"notifications/{notification.kind}"
    with translation.override(language_for(notification.recipient, brand)):
        try:
            subject = " ".join(render_to_string(f"{base}/subject.txt", context).split())
            text = render_to_string(f"{base}/body.txt", context).strip()
        except TemplateDoesNotExist as exc:
            raise PermanentError(f"missing template {exc}") from exc
        short = _optional(f"{base}/short.txt", context)
        short = " ".join(short.split()) if short is not None else subject
        html_body = ""
        if html:
            fragment = _optional(f"{base}/body.html", context)
            if fragment is None:
                fragment = linebreaks(urlize(text, autoescape=True), autoescape=False)
            html_body = fragment
        return Rendered(subject=subject, text=text, html=html_body, short=short)


def wrap_email(
    rendered: Rendered, brand, recipient, *, unsubscribe_url: str, language: str
) -> tuple[str, str]:
    """Put the bodies in the brand's e-mail layout (themes/email/base.*, else ours)."""
    context = {
        "brand": brand,
        "recipient": recipient,
        "unsubscribe_url": unsubscribe_url,
        "subject": rendered.subject,
        "body_text": rendered.text,
        "body_html": rendered.html,
    }
    with translation.override(language):
        context["base_html"] = select_template(
            ["themes/email/base.html", "worker/email/fallback_base.html"]
        )
        context["base_txt"] = select_template(
            ["themes/email/base.txt", "worker/email/fallback_base.txt"]
        )
        html = render_to_string("worker/email/message.html", context)
        text = render_to_string("worker/email/message.txt", context)
    return html, text
