"""Delivery channels. A sender is opened once per batch (one SMTP connection, one HTTP session).
`send` sends one notification, returning the provider's reference or raising one of the errors
below, which decide what happens to the row. `send_many` sends up to `batch_size` at once (a
provider's bulk API) and returns each one's reference or error, in order; the outbox records the
outcomes of each such group together, right after it was sent."""

from __future__ import annotations


class DeliveryError(Exception):
    pass


class TransientError(DeliveryError):
    """Try again later (network, timeout, 5xx, 429, SMTP 4xx)."""


class PermanentError(DeliveryError):
    """Will never work as is (invalid address, rejected by the provider, missing template)."""


class SkipDelivery(DeliveryError):
    """Nothing to deliver to any more (no push subscription left, number removed)."""


def unwrap(result):
    """One `send_many` result as `send` gives it: the reference, or the error raised."""
    if isinstance(result, Exception):
        raise result
    return result


class Sender:
    # How many notifications `send_many` takes at once. 1: each outcome is recorded right after
    # its own send, so a crash can re-send only the message that was in flight.
    batch_size = 1

    def __init__(self, brand):
        self.brand = brand

    def prepare(self, notifications) -> None:
        """Load what the batch needs in a few queries (numbers, subscriptions)."""

    def send(self, notification) -> str:  # pragma: no cover - interface
        raise NotImplementedError

    def send_many(self, notifications) -> list:
        """The provider's reference or the exception, for each notification, in order."""
        results = []
        for notification in notifications:
            try:
                results.append(self.send(notification))
            except Exception as exc:  # deliver() sorts transient, permanent and unexpected
                results.append(exc)
        return results

    def close(self) -> None:
        pass


def sender_for(channel: str, brand) -> Sender:
    from worker.channels.email import EmailSender
    from worker.channels.push import PushSender
    from worker.channels.sms import SmsSender

    return {"email": EmailSender, "push": PushSender, "sms": SmsSender}[channel](brand)
