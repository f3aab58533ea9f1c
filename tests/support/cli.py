"""The real `tracker` command: as a child process, or in this process through its entry point."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path


def run(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """`tracker ARGS` as a child process, with no TRACKER_ variable of ours leaking in."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        env={**base, **(env or {})},
        cwd=cwd,
        timeout=120,
    )


@contextlib.contextmanager
def _argv(args: list[str]) -> Iterator[None]:
    saved = sys.argv
    sys.argv = ["tracker", *args]
    try:
        yield
    finally:
        sys.argv = saved


def invoke(args: list[str]) -> tuple[int, str]:
    """`tracker ARGS` in this process through the real entry point: exit status and stderr."""
    from tracker.cli import main

    err, out = io.StringIO(), io.StringIO()
    code = 0
    with _argv(args), contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
        try:
            main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else 1
    return code, err.getvalue()
