"""Tasks of the tenants app (autodiscovered by worker.celery_app)."""

from worker.celery_app import app


@app.task(name="tenants.console_provision", ignore_result=True)
def console_provision(job_id: str, request: dict) -> None:
    """Provision a brand requested in the operator console (runs in the public schema)."""
    from tenants.console_jobs import run_job

    run_job(job_id, request)
