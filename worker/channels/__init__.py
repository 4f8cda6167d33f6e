"""Delivery channels. A sender is opened once per batch (one SMTP connection, one HTTP session)
and sends one notification at a time, returning the provider's reference or raising one of the
errors below, which decide what happens to the row."""

from __future__ import annotations


class DeliveryError(Exception):
    pass


class TransientError(DeliveryError):
    """Try again later (network, timeout, 5xx, 429, SMTP 4xx)."""


class PermanentError(DeliveryError):
    """Will never work as is (invalid address, rejected by the provider, missing template)."""


class SkipDelivery(DeliveryError):
    """Nothing to deliver to any more (no push subscription left, number removed)."""


class Sender:
    def __init__(self, brand):
        self.brand = brand

    def prepare(self, notifications) -> None:
        """Load what the batch needs in a few queries (numbers, subscriptions)."""

    def send(self, notification) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        pass


def sender_for(channel: str, brand) -> Sender:
    from worker.channels.email import EmailSender
    from worker.channels.push import PushSender
    from worker.channels.sms import SmsSender

    return {"email": EmailSender, "push": PushSender, "sms": SmsSender}[channel](brand)
