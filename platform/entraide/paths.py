"""Import roots of the project.

`platform/` is deliberately *not* a package: a package named `platform` would shadow the standard
library module that uuid, Django, Celery and billiard import at start-up. Both the repository root
(tenants, themes, worker) and `platform/` (entraide, accounts, webapp, ...) are import roots.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
PLATFORM_ROOT = REPO_ROOT / "platform"


def ensure_import_roots() -> None:
    for path in (str(PLATFORM_ROOT), str(REPO_ROOT)):
        if path not in sys.path:
            sys.path.insert(0, path)
