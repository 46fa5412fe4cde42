"""A scripted chat-completions server on 127.0.0.1 for client and stage tests.

It speaks real HTTP over a real socket; only the replies are scripted. The
`reply` callable gets the request body and returns (status, headers, body,
delay_s); the server records every request and the peak number handled at once.
"""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable

Reply = tuple[int, dict[str, str], dict | str, float]


def completion(text: str, prompt_tokens: int = 10, completion_tokens: int = 5) -> dict:
    return {
        "id": "cmpl-test",
        "object": "chat.completion",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class FakeChatServer:
    def __init__(self, reply: Callable[[dict], Reply]) -> None:
        self.reply = reply
        self.requests: list[dict] = []
        self.headers: list[dict[str, str]] = []
        self.active = 0
        self.max_active = 0
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: object) -> None:
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                with server._lock:
                    server.requests.append(body)
                    server.headers.append(dict(self.headers))
                    server.active += 1
                    server.max_active = max(server.max_active, server.active)
                try:
                    status, headers, payload, delay = server.reply(body)
                    time.sleep(delay)
                finally:
                    with server._lock:
                        server.active -= 1
                data = (payload if isinstance(payload, str) else json.dumps(payload)).encode()
                try:
                    self.send_response(status)
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client timed out and hung up

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def __enter__(self) -> "FakeChatServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()


def scripted(replies: list[Reply]) -> Callable[[dict], Reply]:
    """Replies in order; the last one repeats."""
    lock = threading.Lock()
    position = {"i": 0}

    def reply(_: dict) -> Reply:
        with lock:
            i = min(position["i"], len(replies) - 1)
            position["i"] += 1
        return replies[i]

    return reply
