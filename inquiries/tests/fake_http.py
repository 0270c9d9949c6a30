"""A scriptable HTTP server on 127.0.0.1 for tests: fake upstreams and callback receivers.

Responses are queued in order (``respond``); when the queue is empty ``default`` answers.
Every request is recorded with its method, path, headers and raw body.
"""

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Recorded:
    method: str
    path: str
    headers: Message  # case-insensitive, like HTTP
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Scripted:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0
    content_type: str = "application/json"


@dataclass
class FakeServer:
    requests: list[Recorded] = field(default_factory=list)
    queue: deque = field(default_factory=deque)
    default: Scripted = field(default_factory=lambda: Scripted(500, b'{"detail":"unscripted"}'))
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def respond(
        self,
        status: int = 200,
        *,
        json_body: Any = None,
        body: bytes | str = b"",
        delay: float = 0.0,
        content_type: str = "application/json",
    ) -> None:
        if json_body is not None:
            body = json.dumps(json_body)
        if isinstance(body, str):
            body = body.encode()
        self.queue.append(Scripted(status, body, delay, content_type))

    def next_response(self) -> Scripted:
        return self.queue.popleft() if self.queue else self.default


def _handler(fake: FakeServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            fake.requests.append(Recorded(self.command, self.path, self.headers, body))
            scripted = fake.next_response()
            if scripted.delay:
                time.sleep(scripted.delay)
            try:
                self.send_response(scripted.status)
                self.send_header("Content-Type", scripted.content_type)
                self.send_header("Content-Length", str(len(scripted.body)))
                self.end_headers()
                self.wfile.write(scripted.body)
            except OSError:
                pass  # the client gave up (a timeout test)

        do_GET = do_POST = do_PUT = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        pass


def start_fake_server() -> FakeServer:
    fake = FakeServer()
    fake.server = _Server(("127.0.0.1", 0), _handler(fake))
    threading.Thread(
        target=fake.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    ).start()
    return fake


def stop_fake_server(fake: FakeServer) -> None:
    fake.server.shutdown()
    fake.server.server_close()
