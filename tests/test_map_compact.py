"""Issue 16: past a size (``MapOptions.compact_above``, 100,000 incidents by default) the map
carries its rows as typed arrays; a person sees the same map, counts, table and CSV. Here
at 3,000 rows, with the threshold lowered."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest

from mapper import map_page, schema
from mapper.geocode import geocode
from mapper.join import join
from mapper.privacy import Privacy
from mapper.render import MapOptions, write_map
from tests.report_support import synthetic_joined
from tests.test_privacy_everywhere import SECRETS, SMALL, _secret_row

DATA = re.compile(r'<script type="application/json"\s+id="[^"]*_data">(.*?)</script>', re.S)
#: The types a cluster's name lists ("12 incidents here: 5 raid, 7 arrest.") and its total.
CLUSTER_NAMES = """() => { const out = []; window.incidentMapper.map.eachLayer(l => {
    if (l.imCluster !== undefined) out.push([l.imCount, l.options.title]); }); return out; }"""

#: The count each province's shading gives in its tooltip ("Kampot: 12 incidents").
PROVINCE_COUNTS = """() => Object.fromEntries(Object.entries(window.incidentMapper.provinces.count)
    .map(([code, l]) => [code, +l.getTooltip().getContent().textContent.split(': ')[1]
    .split(' ')[0]]))"""


@pytest.fixture(scope="module")
def maps(reference, tmp_path_factory, embedded_assets) -> dict:
    """One log drawn twice: as every map of its size is, and compactly. Its summaries are
    all different (3,000 of them), so the compact page, allowed 40,000 characters of a
    column's text, leaves them out."""
    log = synthetic_joined(3_000, reference=reference)
    log["notes"] = [f"Summary number {i}" for i in range(len(log))]
    folder = tmp_path_factory.mktemp("compact")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(map_page, "COMPACT_TEXT_CHARS", 40_000)
        return {"plain": write_map(log, folder / "plain.html", MapOptions(offline=True),
                                   reference),
                "compact": write_map(log, folder / "compact.html",
                                     MapOptions(offline=True, compact_above=1_000), reference),
                "log": log}


def _data(path: Path) -> dict:
    return json.loads(DATA.search(path.read_text(encoding="utf-8")).group(1))


def test_a_large_map_carries_its_rows_as_typed_arrays(maps):
    plain, compact = _data(maps["plain"]), _data(maps["compact"])
    assert plain["compact"] is None and isinstance(plain["rows"]["date"]["c"], list)
    assert compact["rows"]["date"]["c"]["t"] == "i2"  # codes in base64, two bytes a row
    assert compact["rows"]["adm2_name"]["via"] == "place"  # written once per place
    assert set(compact["rows"]["id"]) == {"p", "c", "n"}  # "syn-000001": prefix and number
    assert compact["rows"]["notes"] is None and compact["compact"]["left_out"] == ["notes"]
    rows = [len(json.dumps([page["rows"], page["markers"]])) for page in (plain, compact)]
    assert rows[1] < 0.5 * rows[0]


def _shown_csv(page) -> list[dict]:
    with page.expect_download() as info:
        page.evaluate("() => document.querySelector('.im-download').click()")
    return list(csv.DictReader(io.StringIO(Path(info.value.path()).read_text("utf-8"))))


@pytest.mark.browser
def test_a_compact_map_shows_what_the_plain_one_does(maps, open_page):
    plain, run = open_page(maps["plain"]).page, open_page(maps["compact"])
    page = run.page
    # Every row, every column, as the plain page has them (the summaries left out).
    rows = _shown_csv(page)
    assert {r["notes"] for r in rows} == {""}
    assert rows == [{**r, "notes": ""} for r in _shown_csv(plain)]
    assert "leaves out their summaries" in page.locator(".im-compact-note").inner_text()
    assert plain.locator(".im-compact-note").count() == 0
    for count, name in page.evaluate(CLUSTER_NAMES):  # each cluster's types add up to it
        assert sum(map(int, re.findall(r"(\d+) [a-z]", name.split(":")[1]))) == count
    # The filter, its counts and the table follow the rows as on any map.
    log = maps["log"]
    drawn = log[log["status"].eq("ok") & log["geo_precision"].notna()]
    chosen = drawn[drawn["date"].between(pd.Timestamp("2025-03-01"), pd.Timestamp("2025-03-31"))
                   & drawn["nationality"].eq("Chinese")]
    assert page.inner_text(".im-shown") == f"{len(drawn):,} of {len(drawn):,} incidents shown"
    page.fill(".im-date-from", "2025-03-01")
    page.fill(".im-date-to", "2025-03-31")
    page.dispatch_event(".im-date-to", "change")
    page.locator(".im-facet-nationality").select_option("Chinese")
    assert page.inner_text(".im-shown") == f"{len(chosen)} of {len(drawn):,} incidents shown"
    assert page.inner_text(".im-table > summary") == f"Table ({len(chosen)} shown)"
    assert sorted(r["id"] for r in _shown_csv(page)) == sorted(chosen["id"])
    shading = page.evaluate(PROVINCE_COUNTS)
    expected = chosen.groupby("adm1_code").size()
    assert {code: n for code, n in shading.items() if n} == expected.to_dict()
    assert run.page_errors == [] and run.console_errors == []


def test_a_compact_page_carries_no_value_of_a_row_it_does_not_draw(reference, tmp_path,
                                                                    embedded_assets):
    """Its columns are coded from the whole log, then cut to the rows drawn: a sensitive
    field, a small cell's rows and a row left unplaced give the page nothing."""
    rows = [{"id": f"r{i}", "type": "raid", "place": "Bavet", "date": f"2026-01-0{i + 1}"}
            for i in range(5)]
    rows += [_secret_row(id="ZZID-SECRET-1", place="ZZPLACE-SAFEHOUSE", latitude=11.08,
                         longitude=106.15),
             {"id": "k1", "type": "raid", "province": "Kampot", "date": "2026-01-20",
              "notes": "ZZNOTE-KAMPOT"},
             _secret_row(id="ZZID-SECRET-3", place="ZZUNRESOLVED-VILLAGE")]
    frame = pd.DataFrame(rows).assign(status="ok", date_precision="day")
    log = join(geocode(schema.conform(frame), reference=reference), reference)
    seen = {}
    for level in ("internal", "public"):
        path = write_map(log, tmp_path / f"{level}.html", MapOptions(
            offline=True, privacy=Privacy(level), compact_above=0), reference)
        data = _data(path)
        assert data["compact"] is not None
        seen[level] = (json.dumps(data["rows"]) + json.dumps(data["search"])).casefold()
    for secret in ("ZZNOTE-KAMPOT", "ZZPLACE-SAFEHOUSE", "ZZNOTE-INFORMANT", "KH-7"):
        assert secret.casefold() in seen["internal"], secret  # the test sees what it seeks
    for secret in (*SECRETS, "ZZNOTE-KAMPOT", *SMALL):
        assert secret.casefold() not in seen["public"], secret
