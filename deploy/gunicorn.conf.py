"""Gunicorn settings for the web container (deploy/Dockerfile). Values come from the environment.

Synchronous workers on purpose: django-tenants keeps the active schema on the thread's database
connection, which async views and the async ORM lose (DESIGN.md, stack table).
"""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
threads = 1
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 25
keepalive = 5
# Recycle workers now and then so that a slow leak never takes a pod down.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# The proxy (Caddy, the Ingress controller) sets X-Forwarded-For/-Proto.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "*")
accesslog = "-"
errorlog = "-"
access_log_format = '%({host}i)s "%(r)s" %(s)s %(B)s %(M)sms fwd=%({x-forwarded-for}i)s'
# Gunicorn's own lines (access and errors) as JSON too, in the same shape as Django's
# (entraide/production.py): the access line is the "message" field, JSON-escaped by the formatter.
if os.environ.get("LOG_FORMAT", "json") == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "json": {
                "()": "pythonjsonlogger.json.JsonFormatter",
                "fmt": "%(levelname)s %(name)s %(message)s",
                "rename_fields": {"levelname": "level", "name": "logger"},
                # ISO 8601 in UTC from the record itself (Django sets TZ to TIME_ZONE).
                "timestamp": "time",
            }
        },
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stdout",
            },
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "json",
                "stream": "ext://sys.stderr",
            },
        },
        # gunicorn merges this over its defaults, whose root logger names a "console" handler.
        "root": {"handlers": ["stderr"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
            "gunicorn.access": {"handlers": ["stdout"], "level": "INFO", "propagate": False},
        },
    }
worker_tmp_dir = "/dev/shm"
# gunicorn >= 25 opens a control socket under $HOME, which is read-only in the image.
control_socket_disable = True
preload_app = False
