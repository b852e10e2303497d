"""Extraction on its own annotated excerpts (tests/data/excerpts/): precision and recall of
(type, province) pairs, and of the people counts on matched pairs, with every miss listed.

Run: python bench/score_excerpts.py   (needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "excerpts"


def load_excerpts() -> list[dict]:
    lines = (DATA / "excerpts.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def _code(row: pd.Series, provinces: dict[str, str]) -> str:
    if isinstance(row["province"], str):
        return provinces[row["province"]]
    return "national" if row["place"] == "Cambodia" else "outside"


def evaluate(extractor) -> dict[str, float]:
    """Precision and recall of (type, province) pairs, and of counts on matched pairs."""
    gaz = extractor.gazetteer
    provinces = {str(gaz.entry(f"KH-{n}")["name"]): f"KH-{n}" for n in range(1, 26)}
    tp = n_pred = n_gold = 0
    c_ok = c_pred = c_gold = 0
    misses: list[str] = []
    for item in load_excerpts():
        rows = extractor.extract(item["text"], published=item["published"], lang=item["lang"],
                                 source_url=item["source_url"])
        pred = [((r["type"], _code(r, provinces)), r) for _, r in rows.iterrows()]
        gold = [((g["type"], g["province"]), g) for g in item["expected"]]
        n_pred, n_gold = n_pred + len(pred), n_gold + len(gold)
        left = list(pred)
        for key, g in gold:
            hit = next((p for p in left if p[0] == key), None)
            if hit is None:
                misses.append(f"{item['id']}: missed {key}")
                continue
            left.remove(hit)
            tp += 1
            for field in ("people", "women"):
                got = hit[1][field]
                has = not pd.isna(got)
                c_pred += has
                c_gold += field in g
                c_ok += bool(has and field in g and int(got) == g[field])
        misses += [f"{item['id']}: extra {key}" for key, _ in left]
    figures = {
        "excerpts": len(load_excerpts()), "gold": n_gold, "predicted": n_pred,
        "precision": tp / n_pred, "recall": tp / n_gold,
        "count_precision": c_ok / c_pred if c_pred else 0.0, "count_recall": c_ok / c_gold,
    }
    figures["misses"] = misses  # type: ignore[assignment]
    return figures


def main() -> None:
    from mapper import extract as ex

    figures = evaluate(ex.Extractor())
    print("excerpts: {excerpts}, gold pairs: {gold}, predicted: {predicted}".format(**figures))
    print("(type, province): precision {precision:.2f}, recall {recall:.2f}".format(**figures))
    print("counts: precision {count_precision:.2f}, recall {count_recall:.2f}".format(
        **figures))
    for line in figures["misses"]:
        print("  ", line)


if __name__ == "__main__":
    main()
