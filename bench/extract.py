"""Extraction speed: seconds to extract draft rows from a 5,000-word article.

The article is built by repeating the seed article (``../shared/seed``) and the annotated
excerpts until it holds 5,000 words; the gazetteer and the extractor (the lexicon and the
gazetteer's name index) are built first and timed apart (they are built once per process).

Run: python bench/extract.py [--words 5000] [--repeat 5]   (needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mapper.extract import Extractor, default_gazetteer, default_lexicon

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "lepetitjournal-cambodge-2026-01-20.txt"
EXCERPTS = ROOT / "tests" / "data" / "excerpts" / "excerpts.jsonl"


def article(words: int) -> str:
    parts = [SEED.read_text(encoding="utf-8")] if SEED.is_file() else []
    parts += [json.loads(line)["text"] for line in EXCERPTS.read_text(encoding="utf-8")
              .splitlines() if line.strip()]
    text, paragraphs = "", 0
    while len(text.split()) < words:
        text += parts[paragraphs % len(parts)] + "\n\n"
        paragraphs += 1
    return text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--words", type=int, default=5000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    start = time.perf_counter()
    gaz = default_gazetteer()
    loaded = time.perf_counter()
    default_lexicon()
    extractor = Extractor(gaz)
    indexed = time.perf_counter()
    text = article(args.words)
    times, rows = [], 0
    for _ in range(args.repeat):
        extractor.places.clear()  # every run resolves its names afresh
        gaz._memo.clear()
        t0 = time.perf_counter()
        rows = len(extractor.extract(text, published="2026-01-20"))
        times.append(time.perf_counter() - t0)
    print(f"gazetteer load {loaded - start:.2f} s, lexicon and name index "
          f"{indexed - loaded:.2f} s (once per process)")
    print(f"extract: {len(text.split())} words, {rows} draft rows, best {min(times):.3f} s, "
          f"median {sorted(times)[len(times) // 2]:.3f} s over {args.repeat} runs")


if __name__ == "__main__":
    main()
