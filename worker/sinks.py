"""Local fake providers for development, tests and bench/notify.py: an HTTP sink (SMS gateway and
web-push service) and an SMTP sink (aiosmtpd). They are real servers on 127.0.0.1, so the code
under test talks to them exactly as it talks to a provider. They count what they receive per
idempotency key (HTTP `Idempotency-Key`, e-mail `Message-ID`), as a provider that honours such keys
does, and keep every raw arrival so that tests can see repeats too.

    python -m worker.sinks http   # prints the port, serves until killed
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections import Counter
from email import message_from_bytes
from email.policy import default as default_policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class HttpSink:
    """Answers POSTs with 201/200, or with the statuses queued for a path by `fail(prefix, ...)`.
    `<path>/batch` is a bulk endpoint: each message in it counts as one arrival at `<path>`,
    gets its own status from the rules for `<path>`, and is delayed by `delay` like a single
    request; a rule for `<path>/batch` itself fails the whole request."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0):
        sink = self
        self.lock = threading.Lock()
        self.requests: list[dict] = []
        self.rules: dict[str, list[int]] = {}
        self.count = 0  # messages received (a bulk request counts each of its messages)
        self.bulk_requests = 0

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body go out in two writes: without TCP_NODELAY, Nagle's algorithm and
            # the client's delayed ACK stall every keep-alive response by ~40 ms.
            disable_nagle_algorithm = True

            def log_message(self, *args):
                pass

            def do_GET(self):  # /_count: messages received so far (for out-of-process users)
                self._answer(200, json.dumps({"count": sink.count}).encode())

            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                if self.path.endswith("/batch"):
                    return self._batch(body)
                status = sink._status_for(self.path)
                if sink.delay:
                    time.sleep(sink.delay)
                sink._note(self.path, {k.lower(): v for k, v in self.headers.items()}, body, status)
                answer = b'{"id": "sink"}' if status < 300 else b'{"error": "sink says no"}'
                self._answer(status, answer)

            def _batch(self, body: bytes):
                """A bulk SMS endpoint (worker.sms.HttpJsonSmsProvider): each message is
                recorded under the endpoint's parent path, as if it had been posted alone,
                with its `reference` as its idempotency key."""
                parent = self.path[: -len("/batch")]
                with sink.lock:
                    sink.bulk_requests += 1
                status = sink._status_for(self.path, exact=True)
                try:
                    messages = json.loads(body)["messages"]
                except (ValueError, KeyError, TypeError):
                    return self._answer(400, b'{"error": "expected {\\"messages\\": [...]}"}')
                if sink.delay:
                    time.sleep(sink.delay * len(messages))
                headers = {k.lower(): v for k, v in self.headers.items()}
                results = []
                for message in messages:
                    reference = str(message.get("reference", ""))
                    each = status if status >= 300 else sink._status_for(parent)
                    sink._note(
                        parent,
                        {**headers, "idempotency-key": reference},
                        json.dumps(message).encode(),
                        each,
                    )
                    result = {"reference": reference, "status": each}
                    if each < 300:
                        result["id"] = f"sink-{reference}"
                    else:
                        result["error"] = "sink says no"
                    results.append(result)
                if status >= 300:
                    return self._answer(status, b'{"error": "sink says no"}')
                self._answer(200, json.dumps({"results": results}).encode())

            def _answer(self, status: int, answer: bytes):
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

        self.record = True
        self.delay = 0.0
        self.server = ThreadingHTTPServer((host, port), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://{host}:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def _status_for(self, path: str, *, exact: bool = False) -> int:
        """The next status queued for `path` by `fail()`; a bulk request (`exact`) only obeys
        rules given for its own path, which apply to the request as a whole."""
        with self.lock:
            for prefix, statuses in self.rules.items():
                matches = path == prefix if exact else path.startswith(prefix)
                if matches and statuses:
                    return statuses.pop(0) if len(statuses) > 1 else statuses[0]
        return 201 if path.startswith("/push") else 200

    def _note(self, path: str, headers: dict, body: bytes, status: int) -> None:
        with self.lock:
            if self.record:
                self.requests.append(
                    {"path": path, "headers": headers, "body": body, "status": status}
                )
            self.count += 1

    def fail(self, prefix: str, *statuses: int) -> None:
        """Answer requests under `prefix` with these statuses in turn; the last one sticks."""
        with self.lock:
            self.rules[prefix] = list(statuses)

    def start(self) -> HttpSink:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def reset(self) -> None:
        with self.lock:
            self.requests.clear()
            self.rules.clear()
            self.count = 0
            self.bulk_requests = 0
            self.delay = 0.0

    def received(self, prefix: str = "") -> list[dict]:
        with self.lock:
            return [r for r in self.requests if r["path"].startswith(prefix)]

    def keys(self, prefix: str = "", *, accepted_only: bool = True) -> Counter:
        """Raw arrivals per Idempotency-Key (accepted ones by default)."""
        return Counter(
            r["headers"].get("idempotency-key")
            for r in self.received(prefix)
            if not accepted_only or r["status"] < 300
        )


class SmtpSink:
    """aiosmtpd server. Recipients whose local part starts with `tempfail` get a 451 the first
    `tempfail_times` times (then are accepted); `bounce...` gets a 550."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, tempfail_times: int = 1):
        from aiosmtpd.controller import Controller

        sink = self
        self.lock = threading.Lock()
        self.messages: list = []
        self.tempfail_times = tempfail_times
        self.tempfails: Counter = Counter()

        class Handler:
            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                local = address.split("@")[0].lower()
                if local.startswith("bounce"):
                    return "550 5.1.1 No such user here"
                if local.startswith("tempfail"):
                    with sink.lock:
                        sink.tempfails[address] += 1
                        if sink.tempfails[address] <= sink.tempfail_times:
                            return "451 4.3.0 Try again later"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                message = message_from_bytes(envelope.content, policy=default_policy)
                with sink.lock:
                    sink.messages.append(message)
                return "250 Message accepted for delivery"

        if port == 0:
            import socket

            with socket.socket() as s:
                s.bind((host, 0))
                port = s.getsockname()[1]
        self.controller = Controller(Handler(), hostname=host, port=port)
        self.host, self.port = host, port

    def start(self) -> SmtpSink:
        self.controller.start()
        return self

    def stop(self) -> None:
        self.controller.stop()

    def reset(self) -> None:
        with self.lock:
            self.messages.clear()
            self.tempfails.clear()

    def received(self) -> list:
        with self.lock:
            return list(self.messages)

    def message_ids(self) -> Counter:
        return Counter(m["Message-ID"] for m in self.received())


def main(argv: list[str]) -> None:
    if argv[:1] == ["http"]:
        sink = HttpSink()
        sink.record = "--record" in argv
        print(sink.port, flush=True)
        sink.server.serve_forever()
    else:
        print("usage: python -m worker.sinks http [--record]", file=sys.stderr)
        raise SystemExit(2)


if __name__ == "__main__":
    main(sys.argv[1:])
