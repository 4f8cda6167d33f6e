"""Periodic work on volunteers (runs in each active brand's schema, see worker.periodic)."""

from worker.celery_app import app
from worker.periodic import register_brand_job

EXPIRING_CHECKS_TASK = "volunteers.remind_expiring_background_checks"


@app.task(name=EXPIRING_CHECKS_TASK, ignore_result=True)
def remind_expiring_background_checks() -> int:
    from volunteers.services import remind_expiring_background_checks as run

    return run()


# Daily; one reminder per check's expiry date, so a second run the same day sends nothing.
register_brand_job(
    "volunteers.expiring_background_checks", EXPIRING_CHECKS_TASK, every_seconds=24 * 3600
)
