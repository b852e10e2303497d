"""Extraction speed: seconds to extract draft rows from articles of 5,000, 50,000 and 500,000
words, beside a plain pass over the same text, so that linear time is visible.

Each article is built by repeating the seed article (``../shared/seed``) and the annotated
excerpts until it holds the number of words asked; the gazetteer and the extractor (the
lexicon and the gazetteer's name index) are built first and timed apart (they are built once
per process). The baseline is the project's sentence splitter over the same text: a pass
that is linear by construction. Extraction is linear when its seconds per 1,000 words stay
about the same from one size to the next (as the baseline's do).

Run: python bench/extract.py [--words 5000,50000,500000] [--repeat 3]
(needs INCIDENT_MAPPER_GEODATA)
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from mapper.extract import Extractor, default_gazetteer, default_lexicon, split_sentences

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seed" / "lepetitjournal-cambodge-2026-01-20.txt"
EXCERPTS = ROOT / "tests" / "data" / "excerpts" / "excerpts.jsonl"


def article(words: int) -> str:
    """The seed article and the excerpts, repeated until the text holds ``words`` words."""
    parts = [SEED.read_text(encoding="utf-8")] if SEED.is_file() else []
    parts += [json.loads(line)["text"] for line in EXCERPTS.read_text(encoding="utf-8")
              .splitlines() if line.strip()]
    paragraphs: list[str] = []
    count = 0  # words so far, counted per part (re-splitting the whole text is quadratic)
    while count < words:
        part = parts[len(paragraphs) % len(parts)]
        paragraphs.append(part + "\n\n")
        count += len(part.split())
    return "".join(paragraphs)


def _best(repeat: int, run, *args) -> tuple[float, float, object]:
    """Best and median seconds of ``repeat`` calls of ``run(*args)``, and its last result."""
    times, result = [], None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = run(*args)
        times.append(time.perf_counter() - t0)
    return min(times), sorted(times)[len(times) // 2], result


def _extract(extractor: Extractor, text: str) -> int:
    """Draft rows of one run that resolves its names afresh."""
    extractor.places.clear()
    extractor.gazetteer._memo.clear()
    return len(extractor.extract(text, published="2026-01-20"))


def _sizes(value: str) -> list[int]:
    return [int(w.replace("_", "")) for w in value.split(",") if w.strip()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--words", type=_sizes, default=_sizes("5000,50000,500000"),
                        help="article sizes in words, comma-separated")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    start = time.perf_counter()
    gaz = default_gazetteer()
    loaded = time.perf_counter()
    lexicon = default_lexicon()
    extractor = Extractor(gaz)
    indexed = time.perf_counter()
    print(f"gazetteer load {loaded - start:.2f} s, lexicon and name index "
          f"{indexed - loaded:.2f} s (once per process)")
    print(f"{'words':>8} {'rows':>6} {'extract s':>10} {'s/1000 w':>9} {'median s':>9}"
          f" {'baseline s':>11} {'s/1000 w':>9}")
    for words in args.words:
        text = article(words)
        counted = len(text.split())
        best, median, rows = _best(args.repeat, _extract, extractor, text)
        base, _, _ = _best(args.repeat, split_sentences, text, lexicon.sentences)
        per = 1000 / counted
        print(f"{counted:>8} {rows:>6} {best:>10.3f} {best * per:>9.4f} {median:>9.3f}"
              f" {base:>11.3f} {base * per:>9.4f}")
    print(f"best and median of {args.repeat} runs; baseline: split_sentences over the text")


if __name__ == "__main__":
    main()
