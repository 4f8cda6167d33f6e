"""Per-brand periodic work of matching."""

from worker.celery_app import app
from worker.periodic import register_brand_job

DAY = 24 * 3600


@app.task(name="matching.expire_proposals", ignore_result=True)
def expire_proposals() -> int:
    """Runs in one brand's schema (tenant-aware Celery): open proposals past their date expire."""
    from matching.services import expire_proposals as expire

    return expire()


register_brand_job("matching.expire_proposals", "matching.expire_proposals", every_seconds=DAY)
