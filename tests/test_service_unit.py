"""The shipped systemd unit works as the README says: systemd-analyze verifies it, and it
names what the README's steps rely on."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
UNIT = ROOT / "config" / "tracker.service"
INSTALL = "/opt/tracker"


def service_section() -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    section = None
    for line in UNIT.read_text().splitlines():
        line = line.strip()
        if line.startswith("["):
            section = line
        elif section == "[Service]" and "=" in line and not line.startswith("#"):
            key, value = line.split("=", 1)
            values.setdefault(key, []).append(value)
    return values


def test_systemd_analyze_verifies_the_unit_installed_where_the_readme_says(
    tmp_path: Path,
) -> None:
    verify = shutil.which("systemd-analyze")
    assert verify, "systemd-analyze (Debian's systemd package) is needed for this check"
    # Installed as the README says, with this checkout standing in for /opt/tracker.
    here = str(Path(sys.prefix).parent)
    assert Path(sys.prefix, "bin", "tracker").is_file()
    unit = tmp_path / "tracker.service"
    unit.write_text(UNIT.read_text().replace(INSTALL, here))
    result = subprocess.run(
        [verify, "verify", str(unit)], capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_the_unit_names_what_the_service_and_a_shell_need() -> None:
    service = service_section()
    assert service["ExecStart"] == [f"{INSTALL}/.venv/bin/tracker run"]
    assert service["UMask"] == ["0077"]
    assert service["User"] == ["tracker"] and service["ConfigurationDirectory"] == ["tracker"]
    assert service["StateDirectory"] == ["tracker"]
    assert "TRACKER_CONFIG=/etc/tracker" in service["Environment"]
    database = "TRACKER_DATABASE_URL=sqlite:////var/lib/tracker/tracker.db"
    assert database in service["Environment"]
    assert service["ProtectHome"] != ["true"]  # an install under /home must stay readable
    readme = (ROOT / "README.md").read_text()
    assert "useradd --system" in readme
    assert "sudo -u tracker" in readme and "/var/lib/tracker/tracker.db status" in readme
    # Stop within the fetch deadline and a few seconds, before systemd kills.
    assert int(service["TimeoutStopSec"][0]) > 60 + 5
