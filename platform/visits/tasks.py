"""Periodic work of the visit log (runs in each active brand's schema, see worker.periodic)."""

from worker.celery_app import app
from worker.periodic import register_brand_job

NO_CONTACT_TASK = "visits.alert_people_without_contact"


@app.task(name=NO_CONTACT_TASK, ignore_result=True)
def alert_people_without_contact() -> int:
    from visits.services import alert_people_without_contact as run

    return run()


# Daily; alerts are idempotent per silence period, so a second run the same day sends nothing.
register_brand_job("visits.no_contact_alerts", NO_CONTACT_TASK, every_seconds=24 * 3600)
