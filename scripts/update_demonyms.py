"""Regenerate participants/importing/demonyms.json, the English and French demonyms
(masculine and feminine) of every country, from the npm package `world-countries`
(mledoze/countries, ODbL-1.0). Only the fields the import reads are kept: the ISO code,
whether the country is independent (which settles "French" between France and the
French Southern Territories) and the demonyms.

    .venv/bin/python scripts/update_demonyms.py            # the version pinned below
    .venv/bin/python scripts/update_demonyms.py 5.2.0      # another version
    .venv/bin/python scripts/update_demonyms.py --from countries.json  # a file at hand

Needs `npm` on the PATH (it only downloads the package: `npm pack`)."""

import json
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "participants" / "importing" / "demonyms.json"
PACKAGE = "world-countries"
VERSION = "5.1.0"
LICENCE = "ODbL-1.0"


def _download(version: str, folder: Path) -> list[dict[str, object]]:
    subprocess.run(  # noqa: S603
        ["npm", "pack", f"{PACKAGE}@{version}", "--silent"],  # noqa: S607
        cwd=folder,
        check=True,
        capture_output=True,
    )
    (archive,) = folder.glob(f"{PACKAGE}-*.tgz")
    with tarfile.open(archive) as tar:
        member = tar.extractfile("package/countries.json")
        assert member is not None
        return json.load(member)


def _demonyms(records: list[dict[str, object]], version: str) -> dict[str, object]:
    countries: dict[str, object] = {}
    for record in sorted(records, key=lambda record: str(record["cca2"])):
        demonyms = record.get("demonyms") or {}
        assert isinstance(demonyms, dict)
        countries[str(record["cca2"])] = {
            "independent": bool(record.get("independent")),
            **{
                language: {"m": forms.get("m", ""), "f": forms.get("f", "")}
                for language, forms in sorted(demonyms.items())
                if language in ("eng", "fra")
            },
        }
    return {
        "source": f"npm {PACKAGE} {version} (github.com/mledoze/countries)",
        "licence": f"{LICENCE}, © Mohammed Le Doze and the contributors of mledoze/countries",
        "regenerate": "python scripts/update_demonyms.py",
        "countries": countries,
    }


def main(arguments: list[str]) -> int:
    if arguments[:1] == ["--from"]:
        records = json.loads(Path(arguments[1]).read_text(encoding="utf-8"))
        version = "(local file)"
    else:
        version = arguments[0] if arguments else VERSION
        with tempfile.TemporaryDirectory() as folder:
            records = _download(version, Path(folder))
    data = _demonyms(records, version)
    text = json.dumps(data, ensure_ascii=False, indent=1, sort_keys=False)
    TARGET.write_text(text + "\n", encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}: {len(data['countries'])} countries")  # type: ignore[arg-type]
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
