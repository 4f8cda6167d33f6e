"""Web push (VAPID) with pywebpush. One notification row reaches every subscription of the user;
subscriptions the push service calls gone (404/410) are deleted."""

from __future__ import annotations

import json

import requests
from django.utils import timezone
from pywebpush import WebPusher, WebPushException

from worker import conf
from worker.channels import PermanentError, Sender, SkipDelivery, TransientError
from worker.models import PushSubscription
from worker.rendering import render_short

PUSH_TTL_SECONDS = 24 * 3600


class PushSender(Sender):
    def __init__(self, brand):
        super().__init__(brand)
        self.session = requests.Session()
        self._signer = None
        self.subscriptions: dict[int, list] = {}

    @property
    def signer(self):
        if self._signer is None:
            from worker.vapid import VapidSigner, keys_for_current_brand, vapid_subject

            self._signer = VapidSigner(keys_for_current_brand(), vapid_subject(self.brand))
        return self._signer

    def prepare(self, notifications) -> None:
        self.subscriptions = {}
        for sub in PushSubscription.objects.filter(
            user_id__in={n.recipient_id for n in notifications}
        ):
            self.subscriptions.setdefault(sub.user_id, []).append(sub)

    def send(self, notification) -> str:
        subscriptions = self.subscriptions.get(notification.recipient_id, [])
        if not subscriptions:
            raise SkipDelivery("no push subscription")
        subject, short = render_short(notification, self.brand)
        payload = json.dumps(
            {
                "title": subject,
                "body": short,
                "url": (notification.context or {}).get("url", "/"),
                "tag": notification.kind,
                "id": str(notification.public_id),
            }
        )
        delivered, gone, transient, permanent = 0, [], [], []
        for sub in subscriptions:
            headers = self.signer.headers(sub.endpoint)
            # Push services may use it to drop a repeat (RFC 8030 has Topic for replacement).
            headers["Idempotency-Key"] = f"{notification.public_id}:{sub.public_id}"
            try:
                response = WebPusher(
                    sub.as_subscription_info(), requests_session=self.session
                ).send(
                    data=payload,
                    headers=headers,
                    ttl=PUSH_TTL_SECONDS,
                    timeout=conf.get("NOTIFY_HTTP_TIMEOUT"),
                )
            except (requests.ConnectionError, requests.Timeout) as exc:
                transient.append(f"{type(exc).__name__}")
                continue
            except WebPushException as exc:  # invalid keys in the subscription
                permanent.append(str(exc))
                continue
            status = response.status_code
            if status in (404, 410):
                gone.append(sub.pk)
            elif 200 <= status < 300:
                delivered += 1
                PushSubscription.objects.filter(pk=sub.pk).update(last_success_at=timezone.now())
            elif status == 429 or status >= 500:
                transient.append(f"HTTP {status}")
            else:
                permanent.append(f"HTTP {status}: {response.text[:200]}")
        if gone:
            PushSubscription.objects.filter(pk__in=gone).delete()
        if delivered:
            return f"{delivered} subscription(s)"
        if transient:
            raise TransientError("; ".join(transient))
        if permanent:
            raise PermanentError("; ".join(permanent))
        raise SkipDelivery("every push subscription is gone")

    def close(self) -> None:
        self.session.close()
