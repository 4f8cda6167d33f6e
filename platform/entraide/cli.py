"""The `entraide` console script: behaves exactly like `manage.py`."""

import os
import sys


def main(argv=None) -> None:
    from entraide.paths import ensure_import_roots

    ensure_import_roots()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "entraide.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv or sys.argv)


if __name__ == "__main__":
    main()
