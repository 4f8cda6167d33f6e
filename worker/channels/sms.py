"""SMS through the configured provider (worker.sms)."""

from __future__ import annotations

from worker import conf
from worker.channels import Sender, SkipDelivery
from worker.models import MobileNumber
from worker.rendering import language_for, render_short
from worker.sms import fit, get_provider


class SmsSender(Sender):
    def __init__(self, brand):
        super().__init__(brand)
        self.provider = None
        self.numbers: dict[int, str] = {}
        self.language = None
        self.sender_name = conf.get("SMS_SENDER")
        try:
            from themes.selectors import get_theme

            self.sender_name = (get_theme(brand).short_name or self.sender_name)[:11]
        except Exception:
            pass

    def prepare(self, notifications) -> None:
        self.numbers = dict(
            MobileNumber.objects.filter(
                user_id__in={n.recipient_id for n in notifications}
            ).values_list("user_id", "e164")
        )

    def send(self, notification) -> str:
        number = self.numbers.get(notification.recipient_id)
        if not number:
            raise SkipDelivery("no mobile number")
        if self.language is None:
            # The brand's default language, read once per batch; a user's own choice wins.
            self.language = language_for(
                type("Nobody", (), {"preferred_language": ""})(), self.brand
            )
        _subject, short = render_short(
            notification, self.brand, notification.recipient.preferred_language or self.language
        )
        text = fit(short, conf.get("SMS_MAX_SEGMENTS"))
        if self.provider is None:
            self.provider = get_provider()
        return self.provider.send(
            to=number, text=text, sender=self.sender_name, reference=str(notification.public_id)
        )

    def close(self) -> None:
        if self.provider is not None:
            self.provider.close()
