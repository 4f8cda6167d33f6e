"""The generic HTTP SMS provider against the local HTTP sink (a real server): one request per
message, and the bulk endpoint with per-message outcomes. No database needed."""

from __future__ import annotations

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from worker.channels import PermanentError, TransientError
from worker.sms import HttpJsonSmsProvider, SmsMessage, _units, fit_measured, measure


@pytest.fixture
def http(http_sink):
    http_sink.reset()
    yield http_sink
    http_sink.reset()


def messages(n, prefix="m"):
    return [SmsMessage("+33612345678", f"Bonjour {i}", "Alpha", f"{prefix}{i}") for i in range(n)]


def test_one_request_per_message_without_a_bulk_endpoint(http):
    provider = HttpJsonSmsProvider(f"{http.url}/sms", "tok")
    assert provider.batch_size == 1
    http.fail("/sms", 200, 503, 400)
    results = provider.send_many(messages(3))
    assert results[0] == "sink"
    assert isinstance(results[1], TransientError) and str(results[1]) == "HTTP 503"
    assert isinstance(results[2], PermanentError) and "sink says no" in str(results[2])
    [first, *_] = http.received("/sms")
    assert first["headers"]["idempotency-key"] == "m0"
    assert first["headers"]["authorization"] == "Bearer tok"
    assert json.loads(first["body"]) == {
        "to": "+33612345678",
        "text": "Bonjour 0",
        "sender": "Alpha",
        "reference": "m0",
        "encoding": "GSM-7",
        "segments": 1,
    }
    assert http.bulk_requests == 0


def test_bulk_endpoint_sends_groups_and_reads_each_message_outcome(http):
    provider = HttpJsonSmsProvider(
        f"{http.url}/sms", "tok", batch_url=f"{http.url}/sms/batch", batch_size=10
    )
    assert provider.batch_size == 10
    http.fail("/sms", *([200] * 11), 503, 400, 200)
    results = provider.send_many(messages(25))
    assert http.bulk_requests == 3  # 10 + 10 + 5
    assert results[:11] == [f"sink-m{i}" for i in range(11)]
    assert isinstance(results[11], TransientError) and str(results[11]) == "HTTP 503"
    assert isinstance(results[12], PermanentError) and "sink says no" in str(results[12])
    assert results[13:] == [f"sink-m{i}" for i in range(13, 25)]
    keys = http.keys("/sms", accepted_only=False)
    assert set(keys) == {f"m{i}" for i in range(25)} and set(keys.values()) == {1}
    assert all(r["headers"]["authorization"] == "Bearer tok" for r in http.received("/sms"))


@pytest.mark.parametrize(
    ("status", "error"), [(503, TransientError), (429, TransientError), (401, PermanentError)]
)
def test_a_failed_bulk_request_fails_each_of_its_messages_alike(http, status, error):
    provider = HttpJsonSmsProvider("", batch_url=f"{http.url}/sms/batch", batch_size=50)
    http.fail("/sms/batch", status)
    results = provider.send_many(messages(3))
    assert all(isinstance(r, error) and str(r).startswith(f"HTTP {status}") for r in results)
    with pytest.raises(error):  # a single send through the bulk endpoint raises
        provider.send(to="+33612345678", text="x", sender="A", reference="one")


def test_an_unreachable_gateway_is_a_transient_failure():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    single = HttpJsonSmsProvider(f"http://127.0.0.1:{port}/sms", timeout=1)
    bulk = HttpJsonSmsProvider("", batch_url=f"http://127.0.0.1:{port}/sms/batch", timeout=1)
    for provider in (single, bulk):
        assert all(isinstance(r, TransientError) for r in provider.send_many(messages(2)))


class _Gateway(BaseHTTPRequestHandler):
    """A bulk gateway that forgets one message in its answer, or answers garbage."""

    protocol_version = "HTTP/1.1"
    answer = b""

    def log_message(self, *args):
        pass

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(200)
        self.send_header("Content-Length", str(len(self.answer)))
        self.end_headers()
        self.wfile.write(self.answer)


@pytest.mark.parametrize(
    ("answer", "first", "second"),
    [
        (b'{"results": [{"reference": "m0", "status": 202, "id": "g0"}]}', "g0", TransientError),
        (b"<html>oops</html>", TransientError, TransientError),
        (
            b'{"results": [{"reference": "m0"}, {"reference": "m1", "status": 400, '
            b'"error": "bad number"}]}',
            "m0",
            PermanentError,
        ),
    ],
)
def test_bulk_answers_that_omit_a_message_or_cannot_be_read(answer, first, second):
    handler = type("Gateway", (_Gateway,), {"answer": answer})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        provider = HttpJsonSmsProvider(
            "", batch_url=f"http://127.0.0.1:{server.server_address[1]}/bulk"
        )
        got = provider.send_many(messages(2))
    finally:
        server.shutdown()
        server.server_close()
    for result, expected in zip(got, (first, second), strict=True):
        if isinstance(expected, str):
            assert result == expected
        else:
            assert isinstance(result, expected)
    if second is PermanentError:
        assert "bad number" in str(got[1])


@settings(max_examples=300, deadline=None)
@given(
    st.text(
        alphabet=st.sampled_from(
            "abcXYZ 019.,;:!?@$_\n\r`[]{}^~|\\€éèùìòàÇçêâÄÖÑÜäöñüΔΦΓΛΩΠΨΣΘΞ\x00\x7f😀ẞ€"
        ),
        max_size=200,
    )
)
def test_the_septet_table_agrees_with_the_codec(text):
    try:
        expected = ("GSM-7", len(text.encode("gsm03.38")))
    except UnicodeEncodeError:
        expected = ("UCS-2", len(text.encode("utf-16-be")) // 2)
    assert _units(text) == expected


def test_fit_measured_returns_the_length_of_what_it_returns():
    text, length = fit_measured("Bonjour " * 100, 2)
    assert length == measure(text) and length.segments == 2
    text, length = fit_measured("Court", 1)
    assert text == "Court" and length == measure("Court")
