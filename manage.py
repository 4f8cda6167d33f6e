#!/usr/bin/env python
"""Django's command-line utility for Entraide (the `entraide` console script is the same)."""

import sys
from pathlib import Path

if __name__ == "__main__":
    root = Path(__file__).resolve().parent
    # `platform/` is an import root, not a package: see ../shared/DESIGN.md.
    for path in (str(root), str(root / "platform")):
        if path not in sys.path:
            sys.path.insert(0, path)
    from entraide.cli import main

    main()
