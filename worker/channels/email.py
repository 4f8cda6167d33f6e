"""E-mail through Django's e-mail backends (SMTP in production, anymail works unchanged)."""

from __future__ import annotations

import smtplib
import socket
from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from worker import conf
from worker.channels import PermanentError, Sender, SkipDelivery, TransientError
from worker.kinds import get_kind
from worker.rendering import language_for, render, wrap_email


def classify(exc: Exception) -> Exception:
    """SMTP 4xx and connection trouble are transient; 5xx rejections are permanent."""
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _msg in exc.recipients.values()]
        return (TransientError if codes and all(400 <= c < 500 for c in codes) else PermanentError)(
            str(exc)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return (TransientError if 400 <= exc.smtp_code < 500 else PermanentError)(
            f"SMTP {exc.smtp_code}: {exc.smtp_error!r}"
        )
    if isinstance(
        exc, (smtplib.SMTPServerDisconnected, smtplib.SMTPConnectError, socket.timeout, OSError)
    ):
        return TransientError(f"{type(exc).__name__}: {exc}")
    # anymail (and other API backends) raise their own errors; a status code tells which kind.
    status = getattr(exc, "status_code", None)
    if status is not None:
        return (TransientError if status == 429 or status >= 500 else PermanentError)(str(exc))
    return TransientError(f"{type(exc).__name__}: {exc}")


def sender_address(brand) -> str:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    name = brand.name
    try:
        from themes.selectors import get_theme

        name = get_theme(brand).sender_name or name
    except Exception:
        pass
    return formataddr((name, address or f"no-reply@{settings.BASE_DOMAIN}"))


class EmailSender(Sender):
    def __init__(self, brand):
        super().__init__(brand)
        self.connection = None
        self.from_email = sender_address(brand)

    def _connection(self):
        if self.connection is None:
            options = {}
            if getattr(settings, "EMAIL_TIMEOUT", None) is None:
                # Never wait forever on an SMTP server: the claim's lease is running.
                options["timeout"] = conf.get("NOTIFY_HTTP_TIMEOUT")
            self.connection = get_connection(fail_silently=False, **options)
            try:
                self.connection.open()
            except Exception as exc:
                self.connection = None
                raise classify(exc) from exc
        return self.connection

    def send(self, notification) -> str:
        from worker.unsubscribe import unsubscribe_url

        recipient = notification.recipient
        if not recipient.email:
            raise SkipDelivery("no e-mail address")
        transactional = get_kind(notification.kind).transactional
        unsubscribe = (
            ""
            if transactional
            else unsubscribe_url(self.brand, recipient, notification.kind, "email")
        )
        rendered = render(
            notification, self.brand, html=True, extra={"unsubscribe_url": unsubscribe}
        )
        html, text = wrap_email(
            rendered,
            self.brand,
            recipient,
            unsubscribe_url=unsubscribe,
            language=language_for(recipient, self.brand),
        )
        message_id = f"<{notification.public_id}@{settings.BASE_DOMAIN}>"
        headers = {
            "Message-ID": message_id,
            "X-Entraide-Notification": str(notification.public_id),
            "X-Entraide-Kind": notification.kind,
        }
        if unsubscribe:
            # RFC 8058 one-click unsubscribe: mail clients POST to the URL.
            headers["List-Unsubscribe"] = f"<{unsubscribe}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        else:
            headers["Auto-Submitted"] = "auto-generated"
        message = EmailMultiAlternatives(
            subject=rendered.subject,
            body=text,
            from_email=self.from_email,
            to=[recipient.email],
            headers=headers,
            connection=self._connection(),
        )
        message.attach_alternative(html, "text/html")
        try:
            message.send()
        except Exception as exc:
            # The connection may be unusable now; open a fresh one for the next message.
            self.close()
            raise classify(exc) from exc
        return message_id

    def close(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:
                pass
            self.connection = None
