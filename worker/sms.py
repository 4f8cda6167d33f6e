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
from worker.channels import PermanentError, TransientError

logger = logging.getLogger("entraide.worker")

GSM7 = "GSM-7"
UCS2 = "UCS-2"
LIMITS = {GSM7: (160, 153), UCS2: (70, 67)}


@dataclass(frozen=True)
class SmsLength:
    encoding: str
    units: int  # septets (GSM-7) or UTF-16 code units (UCS-2)
    segments: int


def _units(text: str) -> tuple[str, int]:
    try:
        return GSM7, len(text.encode("gsm03.38"))
    except UnicodeEncodeError:
        return UCS2, len(text.encode("utf-16-be")) // 2


def measure(text: str) -> SmsLength:
    encoding, units = _units(text)
    single, multi = LIMITS[encoding]
    segments = 1 if units <= single else -(-units // multi)
    return SmsLength(encoding=encoding, units=units, segments=max(1, segments) if text else 0)


def fit(text: str, max_segments: int) -> str:
    """Shorten `text` (at a word boundary when possible) to at most `max_segments` segments."""
    if measure(text).segments <= max_segments:
        return text
    encoding, _units_count = _units(text)
    single, multi = LIMITS[encoding]
    budget = single if max_segments == 1 else multi * max_segments
    ellipsis = "..." if encoding == GSM7 else "…"
    cut = text
    while cut and _units(cut + ellipsis)[1] > budget:
        cut = cut[: max(0, len(cut) - max(1, (_units(cut + ellipsis)[1] - budget) // 2))]
    if " " in cut[-20:]:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip() + ellipsis


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


class SmsProvider:
    """Interface: `send` returns the provider's message id or raises Transient/PermanentError."""

    def send(self, *, to: str, text: str, sender: str, reference: str) -> str:  # pragma: no cover
        raise NotImplementedError

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


class HttpJsonSmsProvider(SmsProvider):
    """A generic JSON-over-HTTP SMS gateway: POST {to, text, sender, reference, encoding,
    segments} with `Authorization: Bearer <token>` and `Idempotency-Key: <reference>`; a 2xx
    answer may carry {"id": ...}. 429, 5xx and network errors are transient; other 4xx are
    permanent."""

    def __init__(self, url: str, token: str = "", timeout: float = 10.0):
        if not url:
            raise PermanentError("SMS_HTTP_URL is not set")
        self.url, self.token, self.timeout = url, token, timeout
        # urllib3 directly (requests is built on it): a keep-alive pool at a fraction of the CPU
        # per call, which matters at thousands of messages per second.
        self.pool = urllib3.PoolManager(
            maxsize=4, retries=False, timeout=urllib3.Timeout(total=timeout)
        )

    def send(self, *, to, text, sender, reference):
        length = measure(text)
        headers = {"Idempotency-Key": reference, "Content-Type": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        body = json.dumps(
            {
                "to": to,
                "text": text,
                "sender": sender,
                "reference": reference,
                "encoding": length.encoding,
                "segments": length.segments,
            }
        )
        try:
            response = self.pool.request("POST", self.url, body=body.encode(), headers=headers)
        except urllib3.exceptions.HTTPError as exc:  # connection refused/reset, timeouts
            raise TransientError(f"{type(exc).__name__}: {exc}") from exc
        status = response.status
        if 200 <= status < 300:
            try:
                return str(json.loads(response.data or b"{}").get("id") or reference)
            except ValueError:
                return reference
        if status == 429 or status >= 500:
            raise TransientError(f"HTTP {status}")
        raise PermanentError(f"HTTP {status}: {response.data[:200]!r}")

    def close(self):
        self.pool.clear()


def get_provider() -> SmsProvider:
    name = conf.get("SMS_PROVIDER")
    if name == "http":
        return HttpJsonSmsProvider(
            conf.get("SMS_HTTP_URL"), conf.get("SMS_HTTP_TOKEN"), conf.get("NOTIFY_HTTP_TIMEOUT")
        )
    if name == "console":
        return ConsoleSmsProvider()
    raise PermanentError(f"unknown SMS_PROVIDER {name!r}")
