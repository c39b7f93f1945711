"""The scheduled jobs: which management commands run when, in one place (ADR 0095).

Civsam has no scheduler process of its own. The jobs are management commands that the host's
scheduler starts: cron or systemd timers on one machine (docs/operations.md, "Scheduled jobs").
This table is what both are written from: `python manage.py scheduled_jobs` prints a crontab, or
with --systemd writes a .service and a .timer per job, so that the installed schedule and the
documented one cannot drift apart. A job runs on one machine only, whatever the number of web
processes. Pure data: no database, no app imported (the commands are named, not called).

Times are the server's local time (Europe/Stockholm in production). The nightly jobs are spread
between 02:00 and 04:00, away from office hours and from each other; the mails that people read
go out at 07:00.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Job:
    command: str
    purpose: str
    # Exactly one of: every `every_minutes` minutes, or once a day at `daily_at` ("HH:MM").
    every_minutes: int | None = None
    daily_at: str | None = None

    def __post_init__(self) -> None:
        if (self.every_minutes is None) == (self.daily_at is None):
            raise ValueError(f"{self.command}: give every_minutes or daily_at, not both or neither")
        if self.every_minutes is not None and not 1 <= self.every_minutes <= 60:
            raise ValueError(f"{self.command}: every_minutes must be 1–60")
        if self.daily_at is not None:
            hours, _colon, minutes = self.daily_at.partition(":")
            if not (hours.isdigit() and minutes.isdigit() and int(hours) < 24 and int(minutes) < 60):
                raise ValueError(f"{self.command}: daily_at must be HH:MM")

    @property
    def cron(self) -> str:
        """The five time fields of a crontab line."""
        if self.every_minutes is not None:
            return "* * * * *" if self.every_minutes == 1 else f"*/{self.every_minutes} * * * *"
        hours, minutes = (int(part) for part in self.daily_at.split(":"))  # type: ignore[union-attr]
        return f"{minutes} {hours} * * *"

    @property
    def on_calendar(self) -> str:
        """The same time as systemd's OnCalendar= (systemd.time(7))."""
        if self.every_minutes is not None:
            return "*:*:00" if self.every_minutes == 1 else f"*:0/{self.every_minutes}:00"
        return f"*-*-* {self.daily_at}:00"


JOBS: tuple[Job, ...] = (
    Job(
        "expire_offers",
        "offers and unconfirmed registrations past their deadline end; their seats go to the next in line",
        every_minutes=1,
    ),
    Job("send_event_reminders", "a reminder with the calendar file, 48 hours before an event", every_minutes=15),
    # Before the indicators: "organisations per 1,000 inhabitants" reads these figures (ADR 0112).
    Job(
        "compute_statistics",
        "the sector statistics for this year and last, and any year not yet stored",
        daily_at="02:00",
    ),
    Job("recompute_indicators", "the plan's computed indicators for the current year", daily_at="02:10"),
    Job("compute_grant_figures", "the grant statistics computed again from the grant register", daily_at="02:30"),
    Job(
        "prune_rendered_files",
        "superseded report PDFs and old export files older than 30 days removed (the newest stays)",
        daily_at="02:50",
    ),
    Job(
        "apply_retention",
        "personal data past its retention period removed or de-identified, and logged (ADR 0085)",
        daily_at="03:15",
    ),
    Job("send_call_notices", "mail to those who follow a funding call that has opened", daily_at="07:00"),
    Job("send_followup_reminders", "grant recipients reminded of follow-up reports due or late", daily_at="07:05"),
    Job(
        "remind_offer_owners",
        "organisations reminded once a year to keep their market offers current (issue #17)",
        daily_at="07:10",
    ),
)


def crontab(*, python: str, manage: str, lock_dir: str = "/run/lock") -> str:
    """A crontab for every job. Each line holds a lock (flock -n), so that a run that takes longer than
    its interval is skipped rather than started twice."""
    lines = [
        "# Civsam's scheduled jobs, from civsam/core/schedule.py (python manage.py scheduled_jobs).",
        "# Install on ONE machine, as the user the web processes run as, with their environment.",
    ]
    for job in JOBS:
        lines.append(f"# {job.purpose}")
        lines.append(
            f"{job.cron} flock -n {lock_dir}/civsam-{job.command}.lock {python} {manage} {job.command} --no-color"
        )
    return "\n".join(lines) + "\n"


def systemd_units(*, python: str, manage: str, working_directory: str, environment_file: str) -> dict[str, str]:
    """{file name: contents}: a oneshot civsam-<job>.service and its civsam-<job>.timer per job.
    systemd never starts a service again while it still runs, so no lock is needed."""
    units = {}
    for job in JOBS:
        name = f"civsam-{job.command.replace('_', '-')}"
        units[f"{name}.service"] = (
            "[Unit]\n"
            f"Description=Civsam: {job.purpose}\n"
            "After=network-online.target\n\n"
            "[Service]\n"
            "Type=oneshot\n"
            f"WorkingDirectory={working_directory}\n"
            f"EnvironmentFile={environment_file}\n"
            f"ExecStart={python} {manage} {job.command} --no-color\n"
        )
        units[f"{name}.timer"] = (
            "[Unit]\n"
            f"Description=Civsam: {job.command} ({job.on_calendar})\n\n"
            "[Timer]\n"
            f"OnCalendar={job.on_calendar}\n"
            # A nightly job missed while the machine was down runs when it is back.
            f"Persistent={'true' if job.daily_at else 'false'}\n\n"
            "[Install]\n"
            "WantedBy=timers.target\n"
        )
    return units
