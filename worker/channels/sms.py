"""SMS through the configured provider (worker.sms), in bulk when the provider has a bulk API."""

from __future__ import annotations

from worker import conf
from worker.channels import Sender, SkipDelivery, unwrap
from worker.models import MobileNumber
from worker.rendering import language_for, render_short
from worker.sms import SmsMessage, fit_measured, get_provider


class SmsSender(Sender):
    def __init__(self, brand):
        super().__init__(brand)
        self.provider = None
        self.provider_error: Exception | None = None
        self.numbers: dict[int, str] = {}
        self.language = None
        self.templates: dict = {}  # compiled templates, for this batch
        self.max_segments = conf.get("SMS_MAX_SEGMENTS")
        self.sender_name = conf.get("SMS_SENDER")
        try:
            from themes.selectors import get_theme

            self.sender_name = (get_theme(brand).short_name or self.sender_name)[:11]
        except Exception:
            pass

    def _provider(self):
        if self.provider is None:
            if self.provider_error is not None:
                raise self.provider_error
            try:
                self.provider = get_provider()
            except Exception as exc:  # misconfiguration: every message of the batch fails alike
                self.provider_error = exc
                raise
        return self.provider

    @property
    def batch_size(self) -> int:
        try:
            return self._provider().batch_size
        except Exception:
            return 1  # send_many then reports the configuration error for each message

    def prepare(self, notifications) -> None:
        self.numbers = dict(
            MobileNumber.objects.filter(
                user_id__in={n.recipient_id for n in notifications}
            ).values_list("user_id", "e164")
        )

    def message(self, notification) -> SmsMessage:
        number = self.numbers.get(notification.recipient_id)
        if not number:
            raise SkipDelivery("no mobile number")
        if self.language is None:
            # The brand's default language, read once per batch; a user's own choice wins.
            self.language = language_for(
                type("Nobody", (), {"preferred_language": ""})(), self.brand
            )
        _subject, short = render_short(
            notification,
            self.brand,
            notification.recipient.preferred_language or self.language,
            subject=False,
            templates=self.templates,
        )
        text, length = fit_measured(short, self.max_segments)
        return SmsMessage(
            to=number,
            text=text,
            sender=self.sender_name,
            reference=str(notification.public_id),
            length=length,
        )

    def send(self, notification) -> str:
        return unwrap(self.send_many([notification])[0])

    def send_many(self, notifications) -> list:
        results: list = [None] * len(notifications)
        messages, positions = [], []
        for position, notification in enumerate(notifications):
            try:
                messages.append(self.message(notification))
            except Exception as exc:  # no number, missing template: this message only
                results[position] = exc
            else:
                positions.append(position)
        if messages:
            try:
                sent = self._provider().send_many(messages)
            except Exception as exc:
                sent = [exc] * len(messages)
            for position, result in zip(positions, sent, strict=True):
                results[position] = result
        return results

    def close(self) -> None:
        if self.provider is not None:
            self.provider.close()
