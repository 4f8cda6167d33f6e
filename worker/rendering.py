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


def _optional(name: str, context: dict, templates: dict | None = None) -> str | None:
    """Render `name`, or None when no such template exists. `templates` (optional) keeps the
    looked-up templates, and misses, for a batch of messages of the same brand."""
    if templates is not None and name in templates:
        template = templates[name]
    else:
        try:
            template = get_template(name)
        except TemplateDoesNotExist:
            template = None
        if templates is not None:
            templates[name] = template
    return template.render(context) if template is not None else None


def render_short(
    notification,
    brand,
    language: str | None = None,
    *,
    subject: bool = True,
    templates: dict | None = None,
) -> tuple[str, str]:
    """(subject, short text) for push and SMS; renders only what those need. With
    `subject=False` the subject is rendered only when there is no short text to send (it is the
    fallback) and is returned empty otherwise."""
    context = dict(notification.context or {})
    context.update(brand=brand, recipient=notification.recipient, notification=notification)
    base = f"notifications/{notification.kind}"
    with translation.override(language or language_for(notification.recipient, brand)):
        short = _optional(f"{base}/short.txt", context, templates)
        title = ""
        if subject or short is None:
            rendered = _optional(f"{base}/subject.txt", context, templates)
            if rendered is None:
                if short is None:
                    raise PermanentError(f"missing template {base}/subject.txt")
            else:
                title = " ".join(rendered.split())
    return title, " ".join((short if short is not None else title).split())


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
