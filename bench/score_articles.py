"""Extraction scored on an annotated set of real excerpts (docs/EXTRACT.md's rules):
``tests/data/tuning_articles/`` and ``tuning_articles_2/`` (tuning: misses may be read) or
``tests/data/blind_articles/`` (blind: figures only, never the misses; it measures and never
teaches).

Figures, over the gold rows of kind ``event``:

* precision, recall and F1 of (type, place) pairs, place = KH-n, ``national`` or ``abroad``
  (the country abroad is not compared); a predicted event that matches a gold
  ``background`` row is neither right nor wrong (a separate bucket);
* people right: gold events that state a number whose matched prediction has that number,
  over all gold events that state one (a missed event counts as wrong);
* totals counted: predicted *events* that repeat a gold running total (same type, place and
  figure); the floor is zero. Predicted rows of kind ``total`` are not events.

Run: python bench/score_articles.py [tuning|tuning2|blind] [--misses]
(needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import pandas as pd

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
SETS = {"tuning": DATA / "tuning_articles", "tuning2": DATA / "tuning_articles_2",
        "blind": DATA / "blind_articles"}


def load_set(folder: Path) -> tuple[list[dict], pd.DataFrame]:
    lines = (folder / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    articles = [json.loads(line) for line in lines if line.strip()]
    gold = pd.read_csv(folder / "gold.csv", dtype={"province": str, "kind": str})
    return articles, gold


def _place(row: pd.Series, codes: dict[str, str]) -> str:
    """A predicted row's place as the gold writes it: KH-n, national or abroad."""
    province = row.get("province")
    if isinstance(province, str) and province in codes:
        return codes[province]
    if "outside Cambodia" in str(row.get("notes") or ""):
        return "abroad"
    return "national"


def _key(row: pd.Series) -> tuple[str, str]:
    place = str(row["province"])
    return row["type"], "abroad" if place.startswith("abroad") else place


def _people(value) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _score_article(pred: pd.DataFrame, gold: pd.DataFrame, codes: dict[str, str],
                   tally: dict, misses: list[str], article_id: str) -> None:
    kinds = (pred["kind"].astype("string").fillna("event") if "kind" in pred
             else ["event"] * len(pred))
    left = [((r["type"], _place(r, codes)), _people(r["people"]))
            for (_, r), kind in zip(pred.iterrows(), kinds, strict=True) if kind != "total"]
    events = gold[gold["kind"] == "event"]
    tally["gold"] += len(events)
    for _, g in events.iterrows():
        key, stated = _key(g), _people(g["people"])
        tally["stated"] += stated is not None
        # Of the predictions of this (type, place), the one with the gold's figure first.
        hit = next((p for p in left if p == (key, stated)), None) or next(
            (p for p in left if p[0] == key), None)
        if hit is None:
            misses.append(f"{article_id}: missed {key} people={stated}")
            continue
        left.remove(hit)
        tally["tp"] += 1
        tally["predicted"] += 1
        if stated is not None:
            tally["people_ok"] += hit[1] == stated
            if hit[1] != stated:
                misses.append(f"{article_id}: people {key} got {hit[1]}, gold {stated}")
    background = {_key(b) for _, b in gold[gold["kind"] == "background"].iterrows()}
    totals = {(_key(t), _people(t["people"])) for _, t in gold[gold["kind"] == "total"].iterrows()}
    for key, people in left:
        if key in background:
            continue  # an earlier event the article mentions: its own bucket
        tally["predicted"] += 1
        if (key, people) in totals:
            tally["totals_counted"] += 1
            misses.append(f"{article_id}: running total counted as an event {key} {people}")
        else:
            misses.append(f"{article_id}: extra {key} people={people}")


def in_sample_urls() -> set[str]:
    """Source pages of the in-sample excerpts (tests/data/excerpts/), which the rules were
    first written against: a blind article from one of them is not blind."""
    lines = (DATA / "excerpts" / "excerpts.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line).get("source_url") for line in lines if line.strip()} - {None}


def evaluate(extractor, folder: Path, leave_out: set[str] = frozenset()) -> dict:
    """The figures of one set, with the misses listed (read them only for tuning sets);
    articles whose URL is in ``leave_out`` are not scored."""
    articles, gold = load_set(folder)
    articles = [a for a in articles if a.get("url") not in leave_out]
    gaz = extractor.gazetteer
    codes = {str(gaz.entry(f"KH-{n}")["name"]): f"KH-{n}" for n in range(1, 26)}
    tally = {"gold": 0, "predicted": 0, "tp": 0, "stated": 0, "people_ok": 0,
             "totals_counted": 0}
    misses: list[str] = []
    for item in articles:
        pred = extractor.extract(item["text"], published=item["published"], lang=item["lang"],
                                 source_url=item.get("url"))
        _score_article(pred, gold[gold["article_id"] == item["id"]], codes, tally, misses,
                       item["id"])
    precision = tally["tp"] / tally["predicted"] if tally["predicted"] else 0.0
    recall = tally["tp"] / tally["gold"] if tally["gold"] else 0.0
    return {
        "articles": len(articles), "gold": tally["gold"], "predicted": tally["predicted"],
        "precision": precision, "recall": recall,
        "f1": 2 * precision * recall / (precision + recall) if precision + recall else 0.0,
        "people_right": tally["people_ok"] / tally["stated"] if tally["stated"] else 0.0,
        "totals_counted": tally["totals_counted"], "misses": misses,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("set", nargs="?", default="tuning", choices=sorted(SETS))
    parser.add_argument("--misses", action="store_true", help="list every miss (tuning only)")
    args = parser.parse_args(argv)
    if args.misses and args.set == "blind":
        sys.exit("the blind set measures and never teaches: no misses are listed for it")
    from mapper import extract as ex

    extractor = ex.Extractor()
    runs = [(args.set, evaluate(extractor, SETS[args.set]))]
    if args.set == "blind":
        runs.append(("blind without the in-sample pages",
                     evaluate(extractor, SETS["blind"], in_sample_urls())))
    for name, figures in runs:
        print(f"{name}: {figures['articles']} excerpts, {figures['gold']} gold events, "
              f"{figures['predicted']} predicted events")
        print("  (type, place): precision {precision:.2f}, recall {recall:.2f}, F1 {f1:.2f}; "
              "people right {people_right:.2f}; totals counted as events: {totals_counted}"
              .format(**figures))
    figures = runs[0][1]
    if args.misses:
        for line in figures["misses"]:
            print("  ", line)


if __name__ == "__main__":
    main()
