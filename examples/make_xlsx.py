"""Write the twins of examples/manifest.csv: manifest.xlsx, .tsv, .json, .jsonl and .yaml.

Run from the repository root: ``python examples/make_xlsx.py``. The XLSX stores numbers
as numbers and true/false as booleans, as a spreadsheet user would type them; every
twin gives the same results as the CSV (tests/test_batch_formats.py checks it).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import yaml

HERE = Path(__file__).resolve().parent


def _typed(text: str) -> object:
    if text in ("true", "false"):
        return text == "true"
    if text.isdigit():
        return int(text)
    return text if text else None


def main() -> None:
    """Read the CSV and write its twins next to it."""
    with open(HERE / "manifest.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    header, data = rows[0], rows[1:]
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "manifest"
    ws.append(header)
    for row in data:
        ws.append([_typed(c) for c in row])
    wb.save(HERE / "manifest.xlsx")
    with open(HERE / "manifest.tsv", "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, delimiter="\t", lineterminator="\n").writerows(rows)
    records = [{k: _typed(v) for k, v in zip(header, row, strict=True) if v} for row in data]
    (HERE / "manifest.json").write_text(json.dumps(records, indent=2, ensure_ascii=False) + "\n",
                                        encoding="utf-8")
    (HERE / "manifest.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    (HERE / "manifest.yaml").write_text(
        yaml.safe_dump(records, sort_keys=False, allow_unicode=True), encoding="utf-8")


if __name__ == "__main__":
    main()
