"""A clerk's correction of one published decision, the N-th: ``python bench/correct.py DATA N``.

The first package's first decision gets a new title (ending in “（更正N）”) and its package a
更正记录 row naming the old and the new title, dated N days into the quarter (N distinct per data
tree: a second row for the same record, field and day is refused)."""

from __future__ import annotations

import csv
import json
import sys
from pathlib import Path

from generator.core.schema import field_names, resource_descriptor


def correct(data: Path, n: int) -> None:
    package = sorted(data.glob("*/*Q*"))[0]
    path = package / "decisions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    old = rows[0]["title"]
    rows[0]["title"] = f"{old}（更正{n}）"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    quarter = int(package.name[5])
    month, day = (quarter - 1) * 3 + 1 + (n // 28) % 3, 1 + n % 28
    entry = {
        "table": "decisions",
        "record_id": rows[0]["decision_id"],
        "field": "title",
        "old_value": old,
        "new_value": rows[0]["title"],
        "reason": "名称更正",
        "corrected_on": f"{package.name[:4]}-{month:02d}-{day:02d}",
    }
    corrections = package / "corrections.csv"
    new = not corrections.exists()
    with corrections.open("a", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=field_names("corrections"), lineterminator="\n")
        if new:
            writer.writeheader()
        writer.writerow({name: entry.get(name, "") for name in field_names("corrections")})
    descriptor_path = package / "datapackage.json"
    descriptor = json.loads(descriptor_path.read_text(encoding="utf-8"))
    if "corrections" not in [r["name"] for r in descriptor["resources"]]:
        descriptor["resources"].append(resource_descriptor("corrections"))
        descriptor_path.write_text(
            json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
        )


if __name__ == "__main__":
    correct(Path(sys.argv[1]), int(sys.argv[2]))
