"""The evaluation schedule the server keeps while it runs: each minute it asks whether an
evaluation is due and queues it as a job; once a day it queues the tasks' regeneration (see
:class:`Scheduler`)."""

from __future__ import annotations

import builtins
import logging
import threading
from datetime import date, datetime

from tierwise.services.jobs import TASK_DAYS, JobRunner, Live

log = logging.getLogger("tierwise.jobs")


class Scheduler:
    """The evaluation schedule, kept by the server while it runs: each minute it asks whether
    an evaluation is due (the ``schedule`` setting, as ``classify --due`` does for cron) and
    queues it; once a day it recycles neglected customers to the public pool (the
    ``pool_recycle`` setting), then regenerates the tasks (reminders, provisional-grade reviews,
    pool warnings), and from the ``digest_at`` hour sends each rep's digest of them.
    Both run as jobs of the person "schedule" (an admin), so the jobs page and the audit name it.
    """

    ACTOR_NAME = "schedule"
    TASK_DAYS = TASK_DAYS

    def __init__(self, runner: JobRunner, every: float = 60.0) -> None:
        from tierwise.access.users import User

        self.runner = runner
        self.every = every
        self.actor = User(self.ACTOR_NAME, "admin", lang=runner.root.settings.lang)
        self.tasks_on: date | None = None
        self.pool_on: date | None = None
        self.digest_on: date | None = None
        self.evaluation: Live | None = None  # the last evaluation this schedule queued
        self.gave_up_on: date | None = None  # the day it failed: tried again the next day, not each minute
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="tierwise-schedule", daemon=True)

    def start(self) -> None:
        if self.runner.root.settings.schedule.strip().lower() != "off":
            self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        while not self.stopped.wait(self.every):
            try:
                self.tick()
            except Exception:  # the schedule must outlive one bad minute; the log has it
                log.exception("the schedule's check failed")

    def _digest_time(self, now: datetime) -> bool:
        """Whether the ``digest_at`` setting's hour has come today (never when it is off)."""
        at = self.runner.root.settings.digest_at
        return at != "off" and now.strftime("%H:%M") >= at

    def tick(self, today: date | None = None, now: datetime | None = None) -> builtins.list[int]:
        """Queue what is due now; the ids of the jobs queued."""
        now = now or datetime.now()
        today = today or now.date()
        queued: builtins.list[int] = []
        ws = self.runner.root.fork()
        try:
            busy = {live.kind for live in self.runner.live.values() if not live.finished.is_set()}
            if self.evaluation is not None and self.evaluation.state == "failed":
                self.gave_up_on, self.evaluation = today, None  # e.g. no data yet: not a job a minute
            if ("classify" not in busy and self.gave_up_on != today
                    and ws.acting_as(self.actor).snapshots.due_now().due):
                self.evaluation = self.runner.submit(self.actor, "classify", (None,), {"due": True},
                                                     "schedule")
                queued.append(self.evaluation.job_id)
                busy.add("classify")
            # the neglected customers go to the public pool before the day's tasks are made (their
            # warnings, raised by earlier days' tasks, have run their course)
            if (self.pool_on != today and self.runner.root.settings.pool_recycle
                    and not busy & {"classify", "tasks", "pool"}):
                self.pool_on = today
                live = self.runner.submit(self.actor, "pool", (), {"apply": True}, "schedule")
                queued.append(live.job_id)
                busy.add("pool")
            # the day's tasks come from the classes: after an evaluation under way, not beside it
            if self.tasks_on != today and not busy & {"classify", "tasks", "pool"}:
                self.tasks_on = today
                live = self.runner.submit(self.actor, "tasks", (), {"days": self.TASK_DAYS}, "schedule")
                queued.append(live.job_id)
                busy.add("tasks")
            # each rep's digest of the day's tasks, once they are made, from the hour set
            if (self.digest_on != today and self.tasks_on == today and not busy & {"tasks", "digest"}
                    and self._digest_time(now)):
                self.digest_on = today
                live = self.runner.submit(self.actor, "digest", (), {}, "schedule")
                queued.append(live.job_id)
        finally:
            ws.close()
        return queued
