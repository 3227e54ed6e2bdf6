"""Compile locale/ and locale_packages/ */LC_MESSAGES/*.po to .mo with polib (no system
gettext needed)."""

import sys
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    catalogs = sorted(
        path
        for folder in ("locale", "locale_packages")
        for path in (ROOT / folder).glob("*/LC_MESSAGES/*.po")
    )
    if not catalogs:
        print("error: no catalog under locale/", file=sys.stderr)
        return 1
    for po_path in catalogs:
        catalog = polib.pofile(str(po_path))
        catalog.save_as_mofile(str(po_path.with_suffix(".mo")))
        print(f"compiled {po_path.relative_to(ROOT)} ({catalog.percent_translated()}% translated)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
