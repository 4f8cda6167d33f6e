import os

from entraide.paths import ensure_import_roots

ensure_import_roots()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()
