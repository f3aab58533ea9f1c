"""Alerts on answer changes: an outbox derived from the log, delivered by the service to
real peers on 127.0.0.1 (an HTTP receiver for webhook and ntfy, aiosmtpd with STARTTLS)."""

from __future__ import annotations

import email
import email.policy
import hashlib
import hmac
import json
import os
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO

import pytest
from support.alertpeers import Receiver, SmtpServer
from support.alerts import ENV, KREMLIN, SECRET, SECRETS, TOKEN, config
from support.cli import run
from support.story import MOSCOW_KEY, Clock, assert_event, fact
from support.trackers import make_tracker, migrated
from support.waiting import wait_for

from tracker import app
from tracker.domain.events import FactRetracted, new_event


def cli(db: str, conf: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("--db", db, "--config", str(conf), *args, env=ENV)


def start_service(db: str, conf: Path, log: IO[str]) -> subprocess.Popen[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("TRACKER_")}
    return subprocess.Popen(
        [sys.executable, "-m", "tracker", "--db", db, "--config", str(conf), "run"],
        env={**base, **ENV},
        stdout=subprocess.DEVNULL,
        stderr=log,
        text=True,
    )


def stop(service: subprocess.Popen[str]) -> None:
    service.send_signal(signal.SIGTERM)
    assert service.wait(timeout=90) == 0


def alerts_list(db: str, conf: Path) -> dict[str, object]:
    result = cli(db, conf, "alerts", "list", "--json")
    assert result.returncode == 0, result.stderr
    return dict(json.loads(result.stdout))


def test_an_answer_change_reaches_every_channel_once_signed_with_its_evidence(
    tmp_path: Path,
) -> None:
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    with Receiver() as receiver, SmtpServer(tmp_path) as smtp:
        conf = config(tmp_path / "config", receiver, smtp)
        assert cli(db, conf, "seed").returncode == 0
        article = tmp_path / "kremlin.txt"
        article.write_text(f"Kremlin rejects Paris guarantees\n{KREMLIN}\n")
        ingested = run(
            "--db", db, "--config", str(conf), "ingest", str(article),
            "--published", "2026-01-07T10:00Z", "--url", "https://news.example/kremlin-1",
            env={**ENV, "TRACKER_EXTRACT_ENABLED": "1"},
        )  # fmt: skip
        assert ingested.returncode == 0, ingested.stderr
        with (tmp_path / "service.log").open("w") as log:
            service = start_service(db, conf, log)
            try:
                wait_for(
                    lambda: (
                        receiver.at("/hook") and receiver.at("/topic") and smtp.mailbox.messages
                    ),
                    seconds=120,
                )
            finally:
                stop(service)
        # The seed's answers (history before the channels existed) were not sent.
        hooks, topics, mails = receiver.at("/hook"), receiver.at("/topic"), smtp.mailbox.messages
        assert len(hooks) == len(topics) == len(mails) == 1

        hook = hooks[0]
        expected = "sha256=" + hmac.new(SECRET.encode(), hook.body, hashlib.sha256).hexdigest()
        assert hmac.compare_digest(hook.headers["x-tracker-signature"], expected)
        alert = json.loads(hook.body)
        assert hook.headers["x-tracker-alert-id"] == alert["alert_id"]
        assert alert["question"] == {
            "id": "moscow-commented",
            "text": "Has Moscow commented on the Paris meeting?",
        }
        assert (alert["before"], alert["after"]) == (False, True)
        assert alert["since"].startswith("2026-01-07")
        evidence = alert["evidence"][0]
        assert evidence["sentence"] == KREMLIN
        assert evidence["source"]["title"] == "Kremlin rejects Paris guarantees"
        assert evidence["source"]["url"] == "https://news.example/kremlin-1"

        topic = topics[0]
        assert topic.headers["authorization"] == f"Bearer {TOKEN}"
        assert "Has Moscow commented" in topic.headers["title"]
        assert topic.headers["tags"] == "tracker,yes"
        assert (
            KREMLIN in topic.body.decode()
            and "https://news.example/kremlin-1" in topic.body.decode()
        )

        mail = mails[0]
        assert mail.tls and mail.authenticated
        assert mail.rcpt_tos == ["desk@example.org"]
        message = email.message_from_bytes(mail.content, policy=email.policy.default)
        assert "Has Moscow commented" in str(message["Subject"])
        assert message["Message-ID"] == f"<{alert['alert_id']}@tracker.invalid>"
        body = message.get_body().get_content()  # type: ignore[union-attr]
        assert KREMLIN in body and "no -> yes" in body

        view = alerts_list(db, conf)
        channels = {c["name"]: c for c in view["channels"]}  # type: ignore[attr-defined]
        assert {n: (c["sent"], c["pending"]) for n, c in channels.items()} == {
            "hook": (1, 0),
            "phone": (1, 0),
            "mail": (1, 0),
        }
        shown = cli(db, conf, "alerts", "list").stdout + (tmp_path / "service.log").read_text()
        assert not any(secret in shown for secret in SECRETS)

        # A rebuild derives the same alerts and sends none of them again.
        assert cli(db, conf, "rebuild").returncode == 0
        tracker = make_tracker(db, fetch={"allow_private_networks": True}, config_dir=conf)
        try:
            assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 0}
            assert app.list_alerts(tracker)["alerts"][0]["alert_id"] == alert["alert_id"]
        finally:
            tracker.close()
        assert len(receiver.received) == 2 and len(smtp.mailbox.messages) == 1


def test_a_failing_channel_backs_off_and_shows_in_alerts_list(
    tmp_path: Path, migrated_url: str
) -> None:
    clock = Clock(datetime(2026, 1, 7, 9, 0, tzinfo=UTC))
    with Receiver(fail_first=2) as receiver:
        conf = config(tmp_path / "config", receiver)
        tracker = make_tracker(
            migrated_url,
            fetch={"allow_private_networks": True},
            service={"alert_retry_seconds": 30},
            config_dir=conf,
            clock=clock,
            environ={"ALERT_HOOK_SECRET": SECRET, "ALERT_NTFY_TOKEN": TOKEN},
        )
        try:
            app.seed(tracker)
            clock.advance(hours=1)
            assert_event(tracker, fact(MOSCOW_KEY, True, datetime(2026, 1, 7, tzinfo=UTC)), "k1")
            app.catch_up(tracker)
            # hook and phone both want it; the receiver fails the first two requests.
            assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 2}
            failing = {c["name"]: c for c in app.list_alerts(tracker)["channels"]}
            assert failing["hook"]["failing"] == 1 and failing["hook"]["last_error"] == "HTTP 500"
            assert (
                failing["hook"]["next_attempt_at"]
                == (clock.now + timedelta(seconds=30)).isoformat()
            )
            # Not due yet: nothing is sent before the backoff has passed.
            clock.advance(seconds=29)
            assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 0}
            clock.advance(seconds=1)
            assert app.deliver_alerts(tracker) == {"sent": 2, "failed": 0}
            clock.advance(hours=1)
            assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 0}
            sent = {c["name"]: c for c in app.list_alerts(tracker)["channels"]}
            assert sent["hook"]["sent"] == 1 and sent["hook"]["pending"] == 0
            assert sent["hook"]["failing"] == 0
        finally:
            tracker.close()
    ids = {r.headers["x-tracker-alert-id"] for r in receiver.at("/hook")}
    assert len(receiver.at("/hook")) == 2 and len(ids) == 1


def test_a_backoff_doubles_to_its_cap(tmp_path: Path, migrated_url: str) -> None:
    clock = Clock(datetime(2026, 1, 7, 9, 0, tzinfo=UTC))
    with Receiver(fail_first=100) as receiver:
        conf = config(tmp_path / "config", receiver)
        (conf / "alerts.toml").write_text(
            (conf / "alerts.toml").read_text().split('[[channels]]\nname = "phone"')[0]
        )
        tracker = make_tracker(
            migrated_url,
            fetch={"allow_private_networks": True},
            service={"alert_retry_seconds": 10, "alert_max_backoff_seconds": 60},
            config_dir=conf,
            clock=clock,
            environ={"ALERT_HOOK_SECRET": SECRET},
        )
        try:
            app.seed(tracker)
            assert_event(tracker, fact(MOSCOW_KEY, True, datetime(2026, 1, 7, tzinfo=UTC)), "k1")
            app.catch_up(tracker)
            waits = []
            for _ in range(5):
                assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 1}
                due = datetime.fromisoformat(
                    str(app.list_alerts(tracker)["channels"][0]["next_attempt_at"])
                )
                waits.append((due - clock.now).total_seconds())
                clock.now = due
        finally:
            tracker.close()
    assert waits == [10, 20, 40, 60, 60]


def test_every_change_is_an_alert_and_a_retraction_too(tmp_path: Path, migrated_url: str) -> None:
    with Receiver() as receiver:
        conf = config(tmp_path / "config", receiver)
        tracker = make_tracker(
            migrated_url,
            fetch={"allow_private_networks": True},
            config_dir=conf,
            environ={"ALERT_HOOK_SECRET": SECRET, "ALERT_NTFY_TOKEN": TOKEN},
        )
        try:
            app.seed(tracker)
            yes = assert_event(
                tracker, fact(MOSCOW_KEY, True, datetime(2026, 1, 7, tzinfo=UTC)), "k1"
            )
            # Another key of no question changes nothing to alert about.
            assert_event(
                tracker, fact("weather/in/paris", "rain", datetime(2026, 1, 7, tzinfo=UTC)), "w"
            )
            retract = FactRetracted(
                key=MOSCOW_KEY, assertion_id=str(yes.event_id), reason="misread"
            )
            tracker.log.append(
                "editor:corrections",
                [new_event(retract, "editor", "r1", occurred_at=datetime(2026, 1, 8, tzinfo=UTC))],
            )
            app.catch_up(tracker)
            # Two changes, each to the two channels that want it.
            assert app.deliver_alerts(tracker) == {"sent": 4, "failed": 0}
        finally:
            tracker.close()
    changes = [json.loads(r.body) for r in receiver.at("/hook")]
    assert [(c["before"], c["after"]) for c in changes] == [(False, True), (True, False)]


def test_a_channel_added_later_gets_the_next_change_but_no_history(
    tmp_path: Path, sqlite_url: str
) -> None:
    db = migrated(sqlite_url)
    environ = {"ALERT_HOOK_SECRET": SECRET, "ALERT_NTFY_TOKEN": TOKEN}
    with Receiver() as receiver:
        conf = config(tmp_path / "config", receiver)
        hook_only = tmp_path / "hook-only"
        hook_only.mkdir()
        (hook_only / "alerts.toml").write_text(
            (conf / "alerts.toml").read_text().split('[[channels]]\nname = "phone"')[0]
        )
        first = make_tracker(
            db, fetch={"allow_private_networks": True}, config_dir=hook_only, environ=environ
        )
        try:
            app.seed(first)
            assert_event(first, fact(MOSCOW_KEY, True, datetime(2026, 1, 7, tzinfo=UTC)), "k1")
            app.catch_up(first)
        finally:
            first.close()
        # The ntfy channel appears now: the change above is history to it, the next is not.
        later = make_tracker(
            db, fetch={"allow_private_networks": True}, config_dir=conf, environ=environ
        )
        try:
            assert_event(later, fact(MOSCOW_KEY, False, datetime(2026, 1, 9, tzinfo=UTC)), "k2")
            app.catch_up(later)
            assert app.deliver_alerts(later) == {"sent": 3, "failed": 0}
        finally:
            later.close()
    assert [json.loads(r.body)["after"] for r in receiver.at("/hook")] == [True, False]
    assert len(receiver.at("/topic")) == 1
    assert "no" in receiver.at("/topic")[0].headers["tags"]


@pytest.mark.slow
def test_a_service_killed_while_sending_loses_no_alert_and_repeats_at_most_the_one_in_flight(
    tmp_path: Path,
) -> None:
    db = migrated(f"sqlite:///{tmp_path / 'tracker.db'}")
    with Receiver(delay=0.3) as receiver:
        conf = config(tmp_path / "config", receiver)
        tracker = make_tracker(db, config_dir=conf, environ={})
        try:
            app.seed(tracker)
            for n in range(8):
                value = n % 2 == 0
                when = datetime(2026, 1, 7, tzinfo=UTC) + timedelta(days=n)
                assert_event(tracker, fact(MOSCOW_KEY, value, when), f"k{n}")
            app.catch_up(tracker)
        finally:
            tracker.close()
        expected = 8 * 2  # two channels want each change
        kills = 0
        with (tmp_path / "service.log").open("w") as log:
            for _ in range(4):
                before = len(receiver.received)
                service = start_service(db, conf, log)
                wait_for(lambda b=before: len(receiver.received) > b, seconds=120, every=0.05)
                service.kill()
                service.wait(timeout=30)
                kills += 1
            service = start_service(db, conf, log)
            try:
                wait_for(
                    lambda: all(c["pending"] == 0 for c in alerts_list(db, conf)["channels"]),  # type: ignore[attr-defined]
                    seconds=180,
                    every=0.5,
                )
            finally:
                stop(service)
        # Stopped cleanly: nothing is left to send, and nothing is sent again.
        count = len(receiver.received)
        tracker = make_tracker(db, fetch={"allow_private_networks": True}, config_dir=conf)
        try:
            assert app.deliver_alerts(tracker) == {"sent": 0, "failed": 0}
        finally:
            tracker.close()
    per_request = [(r.path, r.headers["x-tracker-alert-id"]) for r in receiver.received]
    assert len(set(per_request)) == expected  # none lost
    repeats = len(per_request) - expected
    assert repeats <= kills  # each kill can repeat at most the one request in flight
    assert len(receiver.received) == count


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('[[channels]]\nname = "x"\nkind = "webhook"\nurl = "https://h.example/"\n', "secret_env"),
        (
            '[[channels]]\nname = "x"\nkind = "webhook"\nurl = "https://h.example/"\n'
            'secret = "in-the-file"\nsecret_env = "X"\n',
            "unknown key 'secret'",
        ),
        (
            '[[channels]]\nname = "x"\nkind = "webhook"\nurl = "https://h.example/"\n'
            'secret_env = "not a name!"\n',
            "name of an environment variable",
        ),
        ('[[channels]]\nname = "x"\nkind = "pager"\n', "kind: expected one of"),
        ('[[channels]]\nname = "x"\nkind = "ntfy"\nurl = "file:///etc/passwd"\n', "url"),
        (
            '[[channels]]\nname = "x"\nkind = "ntfy"\nurl = "https://u:p@h.example/t"\n',
            "credentials",
        ),
        ('[[channels]]\nname = "x"\nkind = "email"\nhost = "h"\nsender = "a@b"\n', "to"),
        (
            '[[channels]]\nname = "x"\nkind = "email"\nhost = "h"\nport = 0\n'
            'sender = "a@b"\nto = ["c@d"]\n',
            "port",
        ),
        (
            '[[channels]]\nname = "x"\nkind = "ntfy"\nurl = "https://h.example/t"\n'
            '[[channels]]\nname = "x"\nkind = "ntfy"\nurl = "https://h.example/u"\n',
            "used twice",
        ),
        ("channels = 3\n", "expected an array"),
    ],
)
def test_a_malformed_alerts_file_is_one_line_naming_it(
    tmp_path: Path, text: str, message: str
) -> None:
    (tmp_path / "alerts.toml").write_text(text)
    result = run(
        "--config", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}", "alerts", "list"
    )
    assert result.returncode == 2, result.stderr
    assert "alerts.toml" in result.stderr and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "in-the-file" not in result.stderr


def test_alerts_test_sends_a_test_message_and_fails_in_one_line(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    with Receiver() as receiver, SmtpServer(tmp_path) as smtp:
        conf = config(tmp_path / "config", receiver, smtp)
        assert cli(db, conf, "seed").returncode == 0
        for name in ("hook", "phone", "mail"):
            sent = cli(db, conf, "alerts", "test", name)
            assert sent.returncode == 0, sent.stderr
            assert f"test message sent through {name}" in sent.stdout
        hook = receiver.at("/hook")[0]
        assert json.loads(hook.body)["type"] == "test"
        assert hook.headers["x-tracker-signature"] == (
            "sha256=" + hmac.new(SECRET.encode(), hook.body, hashlib.sha256).hexdigest()
        )
        assert len(smtp.mailbox.messages) == 1
        # Private addresses only when the setting says so.
        refused = run("--db", db, "--config", str(conf), "alerts", "test", "hook",
                      env={**ENV, "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "0"})  # fmt: skip
        assert refused.returncode == 1 and "private or local address" in refused.stderr
        mail_refused = run("--db", db, "--config", str(conf), "alerts", "test", "mail",
                           env={**ENV, "TRACKER_FETCH_ALLOW_PRIVATE_NETWORKS": "0"})  # fmt: skip
        assert mail_refused.returncode == 1 and "private or local address" in mail_refused.stderr
        no_secret = run("--db", db, "--config", str(conf), "alerts", "test", "hook",
                        env={k: v for k, v in ENV.items() if k != "ALERT_HOOK_SECRET"})  # fmt: skip
        assert no_secret.returncode == 1
        assert "ALERT_HOOK_SECRET is not set" in no_secret.stderr
        unknown = cli(db, conf, "alerts", "test", "nope")
        assert unknown.returncode == 2 and "unknown alert channel 'nope'" in unknown.stderr
        for result in (refused, mail_refused, no_secret, unknown):
            assert len(result.stderr.strip().splitlines()) == 1
        assert len(receiver.at("/hook")) == 1 and len(smtp.mailbox.messages) == 1


def test_a_refused_alert_url_is_named_as_one_and_quoted_as_written(tmp_path: Path) -> None:
    (tmp_path / "alerts.toml").write_text(
        '[[channels]]\nname = "hook"\nkind = "webhook"\nsecret_env = "S"\n'
        'url = "https://user:pw@hooks.example/feed-alerts"\n'
    )
    result = run(
        "--config", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.db'}", "alerts", "list"
    )
    assert result.returncode == 2, result.stderr
    assert "credentials in an alert URL are refused" in result.stderr
    assert "hooks.example/feed-alerts" in result.stderr and "pw@" not in result.stderr


QUERY_TOKEN = "query-token-9f3b1c"


def test_a_token_in_an_alert_url_is_never_shown(tmp_path: Path, migrated_url: str) -> None:
    import httpx

    conf = tmp_path / "config"
    conf.mkdir()
    hook = f"http://127.0.0.1:9/hook?plain&token={QUERY_TOKEN}"
    (conf / "alerts.toml").write_text(
        f'[[channels]]\nname = "hook"\nkind = "webhook"\nurl = "{hook}"\n'
        'secret_env = "ALERT_HOOK_SECRET"\n'
    )
    db = f"sqlite:///{tmp_path / 'tracker.db'}"
    assert cli(db, conf, "seed").returncode == 0
    listed = cli(db, conf, "alerts", "list")
    assert "http://127.0.0.1:9/hook?plain&token=***" in listed.stdout, listed.stdout
    failed = cli(db, conf, "alerts", "test", "hook")
    assert failed.returncode == 1
    shown = [listed, failed, cli(db, conf, "alerts", "list", "--json")]

    # A server's words may quote the URL: the error stored and printed hides the token.
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url} (token {QUERY_TOKEN})")

    tracker = make_tracker(
        migrated_url,
        config_dir=conf,
        environ={"ALERT_HOOK_SECRET": SECRET},
        transport=httpx.MockTransport(refuse),
    )
    try:
        view = app.send_test_alert(tracker, "hook")
        assert not view["ok"] and "token=***" in view["error"], view
        words = json.dumps([view, app.list_alerts(tracker)])
    finally:
        tracker.close()
    # A refused URL is quoted without its token too.
    (conf / "alerts.toml").write_text(
        f'[[channels]]\nname = "hook"\nkind = "webhook"\nurl = "ftp://h.example/?t={QUERY_TOKEN}"\n'
        'secret_env = "ALERT_HOOK_SECRET"\n'
    )
    refused = cli(db, conf, "alerts", "list")
    assert refused.returncode == 2 and "ftp://h.example/?t=***" in refused.stderr
    shown.append(refused)
    for result in shown:
        assert QUERY_TOKEN not in result.stdout + result.stderr
    assert QUERY_TOKEN not in words
