"""The scheduled jobs (core/schedule.py, ADR 0095): the table names every periodic command, the
crontab and the systemd units are written from it, and the operations docs list the same jobs."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command, get_commands

from civsam.core import schedule

ROOT = Path(__file__).resolve().parents[3]


def _job(command: str) -> schedule.Job:
    return next(job for job in schedule.JOBS if job.command == command)


def test_the_retention_job_is_scheduled_nightly():
    job = _job("apply_retention")
    assert job.daily_at is not None
    assert job.cron == "15 3 * * *"
    assert job.on_calendar == "*-*-* 03:15:00"


def test_every_scheduled_command_exists_once():
    commands = [job.command for job in schedule.JOBS]
    assert len(commands) == len(set(commands))
    available = get_commands()
    assert [c for c in commands if c not in available] == []


@pytest.mark.parametrize(
    ("job", "cron", "on_calendar"),
    [
        (schedule.Job("a", "x", every_minutes=1), "* * * * *", "*:*:00"),
        (schedule.Job("a", "x", every_minutes=15), "*/15 * * * *", "*:0/15:00"),
        (schedule.Job("a", "x", daily_at="07:05"), "5 7 * * *", "*-*-* 07:05:00"),
        (schedule.Job("a", "x", daily_at="00:00"), "0 0 * * *", "*-*-* 00:00:00"),
    ],
)
def test_times_as_cron_and_systemd(job, cron, on_calendar):
    assert (job.cron, job.on_calendar) == (cron, on_calendar)


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"every_minutes": 5, "daily_at": "03:00"},
        {"every_minutes": 0},
        {"every_minutes": 61},
        {"daily_at": "24:00"},
        {"daily_at": "3"},
        {"daily_at": "03:60"},
    ],
)
def test_a_job_without_one_valid_time_is_refused(kwargs):
    with pytest.raises(ValueError):
        schedule.Job("a", "x", **kwargs)


def test_the_crontab_runs_the_retention_job_under_a_lock():
    out = io.StringIO()
    call_command(
        "scheduled_jobs", "--python", "/srv/civsam/.venv/bin/python", "--manage", "/srv/civsam/manage.py", stdout=out
    )
    lines = [line for line in out.getvalue().splitlines() if line and not line.startswith("#")]
    assert len(lines) == len(schedule.JOBS)
    assert (
        "15 3 * * * flock -n /run/lock/civsam-apply_retention.lock "
        "/srv/civsam/.venv/bin/python /srv/civsam/manage.py apply_retention --no-color"
    ) in lines


def test_the_systemd_units_run_the_retention_job(tmp_path):
    out = io.StringIO()
    call_command("scheduled_jobs", "--systemd", str(tmp_path), "--manage", "/srv/civsam/manage.py", stdout=out)
    assert len(list(tmp_path.iterdir())) == 2 * len(schedule.JOBS)
    service = (tmp_path / "civsam-apply-retention.service").read_text(encoding="utf-8")
    timer = (tmp_path / "civsam-apply-retention.timer").read_text(encoding="utf-8")
    assert "ExecStart=" in service and "/srv/civsam/manage.py apply_retention" in service
    assert "WorkingDirectory=/srv/civsam\n" in service
    assert "OnCalendar=*-*-* 03:15:00\n" in timer and "Persistent=true\n" in timer
    assert "civsam-apply-retention.timer" in out.getvalue()


def test_the_operations_docs_list_every_job():
    text = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    section = text.split("## Scheduled jobs", 1)[1].split("\n## ", 1)[0]
    assert [job.command for job in schedule.JOBS if f"`{job.command}`" not in section] == []
