"""SMS: number validation (phonenumbers), GSM-7 / UCS-2 length handling, and the providers.

Length rules (3GPP TS 23.038/23.040): a text that the GSM 03.38 alphabet can encode is sent in
GSM-7, 160 septets in one message or 153 per segment when concatenated, the extension characters
(€ [ ] { } ^ ~ | \\) costing two septets each; anything else goes as UCS-2, 70 UTF-16 units in one
message or 67 per segment. The septet count comes from the `gsm0338` codec rather than a
hand-written table.
"""

from __future__ import annotations

import json
import logging
import sys
from dataclasses import dataclass

import gsm0338  # noqa: F401  (registers the "gsm03.38" codec)
import phonenumbers
import urllib3
from django.utils.translation import gettext as _

from worker import conf
from worker.channels import DeliveryError, PermanentError, TransientError, unwrap

logger = logging.getLogger("entraide.worker")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: str
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def _septets_table() -> dict[str, int]:
    """Septets per character for Latin-1, read off the codec once (0: not in GSM 03.38)."""
    table = {}
    for code in range(256):
        try:
            table[chr(code)] = len(chr(code).encode("gsm03.38"))
        except UnicodeEncodeError:
            table[chr(code)] = 0
    return table


_SEPTETS = _septets_table()


def _units(text: str) -> tuple[str, int]:
    # The codec is pure Python, one call per character: the table answers for the characters
    # French and English texts use, and the codec keeps the last word on anything else.
    try:
        costs = [_SEPTETS[character] for character in text]
    except KeyError:
        try:
            return GSM7, len(text.encode("gsm03.38"))
        except UnicodeEncodeError:
            return UCS2, len(text.encode("utf-16-be")) // 2
    if 0 in costs:
        return UCS2, len(text.encode("utf-16-be")) // 2
    return GSM7, sum(costs)


def measure(text: str) -> SmsLength:
    encoding, units = _units(text)
    single, multi = LIMITS[encoding]
    segments = 1 if units <= single else -(-units // multi)
    return SmsLength(encoding=encoding, units=units, segments=max(1, segments) if text else 0)


def fit(text: str, max_segments: int) -> str:
    """Shorten `text` (at a word boundary when possible) to at most `max_segments` segments."""
    return fit_measured(text, max_segments)[0]


def fit_measured(text: str, max_segments: int) -> tuple[str, SmsLength]:
    """`fit`, and the length of what it returns (measured once)."""
    length = measure(text)
    if length.segments <= max_segments:
        return text, length
    encoding, _units_count = _units(text)
    single, multi = LIMITS[encoding]
    budget = single if max_segments == 1 else multi * max_segments
    ellipsis = "..." if encoding == GSM7 else "…"
    cut = text
    while cut and _units(cut + ellipsis)[1] > budget:
        cut = cut[: max(0, len(cut) - max(1, (_units(cut + ellipsis)[1] - budget) // 2))]
    if " " in cut[-20:]:
        cut = cut[: cut.rfind(" ")]
    cut = cut.rstrip() + ellipsis
    return cut, measure(cut)


def normalise_number(raw: str, *, region: str = "FR") -> str:
    """E.164 form of a mobile number, or ValueError with a message for the user."""
    try:
        number = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException as exc:
        raise ValueError(_("“%(number)s” is not a phone number.") % {"number": raw}) from exc
    if not phonenumbers.is_valid_number(number):
        raise ValueError(_("“%(number)s” is not a valid phone number.") % {"number": raw})
    if phonenumbers.number_type(number) not in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    ):
        raise ValueError(
            _("“%(number)s” is not a mobile number: it cannot receive SMS.") % {"number": raw}
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str
    sender: str
    reference: str  # the outbox row's public id: the provider's idempotency key
    length: SmsLength | None = None  # measured by the caller already, else measured here


class SmsProvider:
    """Interface: `send` returns the provider's message id or raises Transient/PermanentError.
    `send_many` sends several messages and returns, in the same order, for each one its id or
    the error it met (never raises for one message's failure). Providers that have a bulk API
    override it and set `batch_size` to the most messages they take per request."""

    batch_size = 1

    def send(self, *, to: str, text: str, sender: str, reference: str) -> str:  # pragma: no cover
        raise NotImplementedError

    def send_many(self, messages: list[SmsMessage]) -> list[str | Exception]:
        results: list[str | Exception] = []
        for message in messages:
            try:
                results.append(
                    self.send(
                        to=message.to,
                        text=message.text,
                        sender=message.sender,
                        reference=message.reference,
                    )
                )
            except Exception as exc:  # the caller decides: transient, permanent or unexpected
                results.append(exc)
        return results

    def close(self) -> None:
        pass


class ConsoleSmsProvider(SmsProvider):
    """Development: print the SMS (like Django's console e-mail backend)."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stdout

    def send(self, *, to, text, sender, reference):
        length = measure(text)
        self.stream.write(
            f"--- SMS from {sender} to {to} ({length.encoding}, {length.segments} segment(s), ref {reference})\n{text}\n"
        )
        self.stream.flush()
        return f"console:{reference}"


def _status_error(status: int, detail: str = "") -> DeliveryError:
    """An HTTP status (of the request, or of one message in a bulk answer) as our error; the
    gateway's explanation is kept for permanent failures (they are shown to the staff)."""
    if status == 429 or status >= 500:
        return TransientError(f"HTTP {status}")
    return PermanentError(f"HTTP {status}: {detail}"[:2000] if detail else f"HTTP {status}")


class HttpJsonSmsProvider(SmsProvider):
    """A generic JSON-over-HTTP SMS gateway.

    One message: POST `url` with {to, text, sender, reference, encoding, segments},
    `Authorization: Bearer <token>` and `Idempotency-Key: <reference>`; a 2xx answer may carry
    {"id": ...}. 429, 5xx and network errors are transient; other 4xx are permanent.

    Bulk (when `batch_url` is set, as most commercial gateways offer, e.g. Infobip's "advanced"
    endpoint): POST `batch_url` with {"messages": [<the object above>, ...]} (at most
    `batch_size`), each message's `reference` being its idempotency key. A 2xx answer is
    {"results": [{"reference", "status", "id"?, "error"?}, ...]}, `status` being read per
    message exactly like a single request's HTTP status; a message the answer does not mention
    is a transient failure (it will be retried and the gateway recognises it by its reference).
    A non-2xx answer applies to every message of the request.
    """

    def __init__(
        self,
        url: str,
        token: str = "",
        timeout: float = 10.0,
        *,
        batch_url: str = "",
        batch_size: int = 50,
    ):
        if not url and not batch_url:
            raise PermanentError("SMS_HTTP_URL is not set")
        self.url, self.token, self.timeout = url, token, timeout
        self.batch_url = batch_url
        self.batch_size = max(1, int(batch_size)) if batch_url else 1
        # urllib3 directly (requests is built on it): a keep-alive pool at a fraction of the CPU
        # per call, which matters at thousands of messages per second.
        self.pool = urllib3.PoolManager(
            maxsize=4, retries=False, timeout=urllib3.Timeout(total=timeout)
        )

    def _headers(self, idempotency_key: str | None) -> dict:
        headers = {"Content-Type": "application/json"}
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        return headers

    @staticmethod
    def _payload(*, to, text, sender, reference, length=None) -> dict:
        length = length or measure(text)
        return {
            "to": to,
            "text": text,
            "sender": sender,
            "reference": reference,
            "encoding": length.encoding,
            "segments": length.segments,
        }

    def _post(self, url: str, payload, idempotency_key: str | None):
        try:
            return self.pool.request(
                "POST",
                url,
                body=json.dumps(payload).encode(),
                headers=self._headers(idempotency_key),
            )
        except urllib3.exceptions.HTTPError as exc:  # connection refused/reset, timeouts
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc

    def send(self, *, to, text, sender, reference):
        if not self.url:
            return unwrap(self.send_many([SmsMessage(to, text, sender, reference)])[0])
        response = self._post(
            self.url, self._payload(to=to, text=text, sender=sender, reference=reference), reference
        )
        status = response.status
        if 200 <= status < 300:
            try:
                return str(json.loads(response.data or b"{}").get("id") or reference)
            except ValueError:
                return reference
        raise _status_error(status, repr(response.data[:200]))

    def send_many(self, messages):
        if not self.batch_url:
            return super().send_many(messages)
        results: list[str | Exception] = []
        for start in range(0, len(messages), self.batch_size):
            results.extend(self._send_batch(messages[start : start + self.batch_size]))
        return results

    def _send_batch(self, messages: list[SmsMessage]) -> list[str | Exception]:
        payload = {
            "messages": [
                self._payload(
                    to=m.to, text=m.text, sender=m.sender, reference=m.reference, length=m.length
                )
                for m in messages
            ]
        }
        try:
            response = self._post(self.batch_url, payload, None)
        except TransientError as exc:
            return [exc] * len(messages)
        if not 200 <= response.status < 300:
            return [_status_error(response.status, repr(response.data[:200]))] * len(messages)
        try:
            answers = json.loads(response.data or b"{}").get("results") or []
            by_reference = {str(a["reference"]): a for a in answers}
        except (ValueError, AttributeError, KeyError, TypeError):
            error = TransientError(f"unreadable bulk answer: {response.data[:200]!r}")
            return [error] * len(messages)
        results: list[str | Exception] = []
        for message in messages:
            answer = by_reference.get(message.reference)
            if answer is None:
                results.append(TransientError("the gateway's answer did not mention this message"))
                continue
            try:
                status = int(answer.get("status", 200))
            except (TypeError, ValueError):
                status = 502
            if 200 <= status < 300:
                results.append(str(answer.get("id") or message.reference))
            else:
                results.append(_status_error(status, str(answer.get("error") or "")[:200]))
        return results

    def close(self):
        self.pool.clear()


def get_provider() -> SmsProvider:
    name = conf.get("SMS_PROVIDER")
    if name == "http":
        return HttpJsonSmsProvider(
            conf.get("SMS_HTTP_URL"),
            conf.get("SMS_HTTP_TOKEN"),
            conf.get("NOTIFY_HTTP_TIMEOUT"),
            batch_url=conf.get("SMS_HTTP_BATCH_URL"),
            batch_size=conf.get("SMS_HTTP_BATCH_SIZE"),
        )
    if name == "console":
        return ConsoleSmsProvider()
    raise PermanentError(f"unknown SMS_PROVIDER {name!r}")
