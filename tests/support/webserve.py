"""`tracker serve` as a real process on 127.0.0.1, for the API and page tests."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


@contextmanager
def serving(db_url: str, env: dict[str, str] | None = None, *args: str) -> Iterator[str]:
    """Start `tracker serve --port 0` and yield its base URL; stop it with SIGTERM after."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    process = subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db_url, "serve", "--port", "0", *args],
        env={**base, **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 60)
        line = process.stdout.readline() if ready else ""
        assert line.startswith("serving http://"), f"no address printed: {line!r}"
        yield line.split()[1].removesuffix("/stories")
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            _out, err = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            _out, err = process.communicate()
        assert "Traceback" not in err, err


def get(url: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET ``url``: status, headers (lower-case names) and body, error statuses included."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, _lower(response.headers.items()), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, _lower(exc.headers.items()), exc.read()


def get_json(url: str) -> Any:
    status, _headers, body = get(url)
    assert status == 200, (status, body[:500])
    return json.loads(body)


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}
