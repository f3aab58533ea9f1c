"""Run the real CLI as a child process and measure it: exit, output, peak RSS, duration."""

from __future__ import annotations

import contextlib
import os
import resource
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

# Runs `tracker ARGS` and, as it exits, writes the process's own peak resident memory
# (VmHWM, which exec resets, unlike the rusage a parent sees) to the file named first.
LAUNCH = """
import atexit, sys
peak_file = sys.argv.pop(1)
def _peak():
    with open("/proc/self/status") as status, open(peak_file, "w") as out:
        out.write(next(line for line in status if line.startswith("VmHWM")))
atexit.register(_peak)
sys.argv[0] = "tracker"
from tracker.cli import main
main()
"""


@dataclass(frozen=True)
class Measured:
    returncode: int
    stdout: str
    stderr: str
    peak_rss_mb: float
    seconds: float


def measured(
    *args: str,
    env: dict[str, str] | None = None,
    timeout: float = 120,
    stdin: bytes | None = None,
) -> Measured:
    """`tracker ARGS` in a child, with its peak resident memory and how long it took."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    with tempfile.TemporaryDirectory() as tmp:
        out_path, err_path = Path(tmp, "out"), Path(tmp, "err")
        with out_path.open("wb") as out, err_path.open("wb") as err:
            started = time.monotonic()
            peak_path = Path(tmp, "peak")
            child = subprocess.Popen(
                [sys.executable, "-c", LAUNCH, str(peak_path), *args],
                env={**base, **(env or {})},
                stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
                stdout=out,
                stderr=err,
            )
            if stdin is not None:
                threading.Thread(target=_feed, args=(child, stdin), daemon=True).start()
            status, usage = _wait(child.pid, started + timeout)
            seconds = time.monotonic() - started
            child.returncode = os.waitstatus_to_exitcode(status)
        del usage  # its maxrss counts the pytest process forked before exec: not the child's
        peak = peak_path.read_text() if peak_path.exists() else ""
        return Measured(
            child.returncode,
            out_path.read_text(errors="replace"),
            err_path.read_text(errors="replace"),
            int(peak.split()[1]) / 1024 if peak else float("nan"),  # VmHWM is in kB
            seconds,
        )


def _wait(pid: int, deadline: float) -> tuple[int, resource.struct_rusage]:
    while True:
        done, status, usage = os.wait4(pid, os.WNOHANG)
        if done:
            return status, usage
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            _, status, usage = os.wait4(pid, 0)
            raise AssertionError(f"the child did not finish in time (killed); status {status}")
        time.sleep(0.05)


def _feed(child: subprocess.Popen[bytes], data: bytes) -> None:
    assert child.stdin is not None
    with contextlib.suppress(BrokenPipeError, OSError):
        child.stdin.write(data)
        child.stdin.close()
