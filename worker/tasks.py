from worker.celery_app import app


@app.task(name="tenants.refill_spare_pool", ignore_result=True)
def refill_spare_pool() -> int:
    """Keep pre-cloned spare schemas ready so that provisioning is a rename."""
    from tenants.schemas import fill_spare_pool

    return fill_spare_pool()
