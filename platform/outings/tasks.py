"""Periodic work of outings (runs in each active brand's schema, see worker.periodic)."""

from worker.celery_app import app
from worker.periodic import register_brand_job

REMINDER_TASK = "outings.send_outing_reminders"


@app.task(name=REMINDER_TASK, ignore_result=True)
def send_outing_reminders() -> int:
    from outings.services import send_outing_reminders as run

    return run()


# Hourly, so that an outing created late the day before is still announced; each reminder is
# idempotent per outing and participant.
register_brand_job("outings.reminders", REMINDER_TASK, every_seconds=3600)
