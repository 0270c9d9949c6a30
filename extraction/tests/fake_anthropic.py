"""A fake Anthropic Messages API on 127.0.0.1, so the real SDK does the talking in tests.

Replies are scripted per test: a list of ``FakeReply`` served in order (the last one repeats).
Every request is recorded with its headers and JSON body, so tests can assert what was sent.
"""

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class FakeReply:
    status: int = 200
    body: dict[str, Any] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    delay_seconds: float = 0.0


def tool_reply(
    tool_input: Any, *, name: str = "record_codes", model: str = "claude-test"
) -> FakeReply:
    return FakeReply(
        body={
            "id": "msg_01",
            "type": "message",
            "role": "assistant",
            "model": model,
            "content": [{"type": "tool_use", "id": "toolu_01", "name": name, "input": tool_input}],
            "stop_reason": "tool_use",
            "stop_sequence": None,
            "usage": {
                "input_tokens": 1200,
                "output_tokens": 300,
                "cache_creation_input_tokens": 0,
                "cache_read_input_tokens": 1100,
            },
        }
    )


def text_reply(text: str) -> FakeReply:
    return FakeReply(
        body={
            "id": "msg_02",
            "type": "message",
            "role": "assistant",
            "model": "claude-test",
            "content": [{"type": "text", "text": text}],
            "stop_reason": "end_turn",
            "stop_sequence": None,
            "usage": {"input_tokens": 10, "output_tokens": 5},
        }
    )


def error_reply(status: int, error_type: str, *, retry_after: str | None = None) -> FakeReply:
    headers = {"retry-after": retry_after} if retry_after else {}
    return FakeReply(
        status=status,
        body={"type": "error", "error": {"type": error_type, "message": error_type}},
        headers=headers,
    )


class FakeAnthropic:
    def __init__(self) -> None:
        self.replies: list[FakeReply] = []
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                with fake._lock:
                    fake.requests.append(
                        {
                            "path": self.path,
                            "headers": {k.lower(): v for k, v in self.headers.items()},
                            "json": body,
                        }
                    )
                    reply = fake.replies.pop(0) if len(fake.replies) > 1 else fake.replies[0]
                if reply.delay_seconds:
                    time.sleep(reply.delay_seconds)
                payload = json.dumps(reply.body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("request-id", "req_fake")
                    self.send_header("x-should-retry", "false" if reply.status < 500 else "true")
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()

    def script(self, *replies: FakeReply) -> None:
        with self._lock:
            self.replies = list(replies)
            self.requests = []

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
