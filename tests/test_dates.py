"""Tests for mapper.dates: the one date parser (cells, phrases and command line options)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mapper.dates import (
    YEAR_RANGE,
    DateError,
    ParsedDate,
    date_words,
    parse_date,
    parse_dates,
    parse_option_date,
    period_end,
)

DAYS = st.dates(min_value=dt.date(YEAR_RANGE[0], 1, 1), max_value=dt.date(YEAR_RANGE[1], 12, 31))


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-01-20", "2026-01-20"),
        ("2026-1-5", "2026-01-05"),
        ("2026/01/20", "2026-01-20"),
        ("2026.01.20", "2026-01-20"),
        ("2026-01-20T14:30:00+07:00", "2026-01-20"),
        ("  2026-01-20 ", "2026-01-20"),
        ("２０２６-01-20", "2026-01-20"),  # full-width digits, as typed with a CJK keyboard
    ],
)
def test_iso_days(text, day):
    assert parse_date(text) == ParsedDate(dt.date.fromisoformat(day), "day")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("20/01/2026", "2026-01-20"),
        ("05/02/2026", "2026-02-05"),  # 5 February, never 2 May
        ("5/2/2026", "2026-02-05"),
        ("05-02-2026", "2026-02-05"),
        ("05.02.2026", "2026-02-05"),
        ("31/12/2026 23:59", "2026-12-31"),
    ],
)
def test_slashed_dates_are_day_first(text, day):
    assert parse_date(text) == ParsedDate(dt.date.fromisoformat(day), "day")


def test_month_first_is_refused_with_a_hint():
    with pytest.raises(DateError, match="read day first") as info:
        parse_date("01/20/2026")
    assert str(info.value) == (
        'cannot read "01/20/2026" as a date: dates are read day first (dd/mm/yyyy) and there '
        "is no month 20"
    )


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2026-02", "2026-02-01", "2026-02-28", "month"),
        ("02/2024", "2024-02-01", "2024-02-29", "month"),
        ("February 2026", "2026-02-01", "2026-02-28", "month"),
        ("Sept 2026", "2026-09-01", "2026-09-30", "month"),
        ("2026", "2026-01-01", "2026-12-31", "year"),
        ("20 January 2026", "2026-01-20", "2026-01-20", "day"),
    ],
)
def test_precision_and_period_end(text, start, end, precision):
    parsed = parse_date(text)
    assert parsed.precision == precision
    assert parsed.start == dt.date.fromisoformat(start)
    assert parsed.end == dt.date.fromisoformat(end)
    assert period_end(parsed.start, parsed.precision) == parsed.end


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("20 janvier 2026", "2026-01-20", "day"),
        ("1er février 2026", "2026-02-01", "day"),
        ("1er FÉVRIER 2026", "2026-02-01", "day"),
        ("mardi 3 mars 2026", "2026-03-03", "day"),
        ("le 14 juillet 2026", "2026-07-14", "day"),
        ("25 déc. 2026", "2026-12-25", "day"),
        ("janvier 2026", "2026-01-01", "month"),
        ("août 2026", "2026-08-01", "month"),
        ("aout 2026", "2026-08-01", "month"),
        ("January 20, 2026", "2026-01-20", "day"),
        ("Tuesday, 20th of January 2026", "2026-01-20", "day"),
    ],
)
def test_month_names_in_english_and_french(text, start, precision):
    assert parse_date(text) == ParsedDate(dt.date.fromisoformat(start), precision)


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2026-02-30", ": there is no such day"),
        ("31/04/2026", ": there is no such day"),
        ("1850", ": year 1850 is not in 1900-2100"),
        ("20/01/26", " (expected e.g."),  # two-digit years are not guessed
        ("yesterday", " (expected e.g."),  # only with relative_to
        ("20 janvier", " (expected e.g."),  # no year, no relative_to
        ("20 Smarch 2026", " (expected e.g."),
        (4.5, " (expected e.g."),
        (True, ""),
        (None, " (expected e.g."),
    ],
)
def test_refused_values_say_why(value, reason):
    with pytest.raises(DateError) as info:
        parse_date(value)
    assert isinstance(info.value, ValueError)
    assert info.value.reason.startswith(reason)
    assert str(info.value).startswith("cannot read ")


def test_cells_that_are_already_dates_or_years():
    assert parse_date(dt.datetime(2026, 1, 20, 15, 30)) == ParsedDate(dt.date(2026, 1, 20), "day")
    assert parse_date(dt.date(2026, 1, 20)) == ParsedDate(dt.date(2026, 1, 20), "day")
    assert parse_date(2026) == ParsedDate(dt.date(2026, 1, 1), "year")
    assert parse_date(2026.0) == ParsedDate(dt.date(2026, 1, 1), "year")


def test_relative_to_places_dates_without_a_year_and_relative_words():
    published = dt.date(2026, 1, 5)
    assert parse_date("12 janvier", relative_to=published).start == dt.date(2026, 1, 12)
    assert parse_date("December 28", relative_to=published).start == dt.date(2025, 12, 28)
    assert parse_date("hier", relative_to=published).start == dt.date(2026, 1, 4)
    assert parse_date("avant-hier", relative_to=published).start == dt.date(2026, 1, 3)
    assert parse_date("Today", relative_to=dt.datetime(2026, 1, 5, 9)).start == published
    assert parse_date("2025-03-01", relative_to=published).start == dt.date(2025, 3, 1)


def test_option_dates_refuse_what_reads_two_ways():
    with pytest.raises(DateError) as info:
        parse_option_date("01/02/2026", name="--from")
    message = str(info.value)
    assert message.startswith('--from: cannot read "01/02/2026" as a date')
    assert "2026-02-01 (day first) or 2026-01-02 (month first)" in message
    assert "ISO" in message
    for text in ("01-02-2026", "01.02.2026", "1/2/2026"):
        with pytest.raises(DateError, match="could be"):
            parse_option_date(text)


@pytest.mark.parametrize(
    ("text", "start", "precision"),
    [
        ("2026-02-01", "2026-02-01", "day"),
        ("13/02/2026", "2026-02-13", "day"),  # no month 13: one reading only
        ("05/05/2026", "2026-05-05", "day"),  # both readings are the same day
        ("2026-02", "2026-02-01", "month"),
        ("1 February 2026", "2026-02-01", "day"),
    ],
)
def test_option_dates_read_what_is_clear(text, start, precision):
    assert parse_option_date(text) == ParsedDate(dt.date.fromisoformat(start), precision)


def test_option_errors_name_the_option():
    with pytest.raises(DateError, match=r'^--to: cannot read "soon" as a date \(expected'):
        parse_option_date("soon", name="--to")


def test_parse_dates_matches_parse_date_in_order():
    values = [
        "2026-01-20",
        "20/01/2026",
        "2026-02-30",
        None,
        2026,
        "2026-01-20",
        ["x"],
        "0999-01-01",
    ]
    results = parse_dates(values)
    assert len(results) == len(values)
    for value, result in zip(values, results, strict=True):
        try:
            expected: ParsedDate | DateError = parse_date(value)
        except DateError as err:
            expected = err
        assert type(result) is type(expected)
        assert str(result) == str(expected)
    assert parse_dates([]) == []
    assert parse_dates([2026]) == [ParsedDate(dt.date(2026, 1, 1), "year")]


def test_parse_dates_reads_many_iso_days():
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=i % 2000) for i in range(50_000)]
    results = parse_dates(d.isoformat() for d in days)
    assert [r.start for r in results] == days
    assert {r.precision for r in results} == {"day"}


@given(DAYS)
def test_any_day_round_trips_in_iso_and_day_first(day):
    assert parse_date(day.isoformat()) == ParsedDate(day, "day")
    assert parse_date(day.strftime("%d/%m/%Y")) == ParsedDate(day, "day")
    assert parse_dates([day.isoformat()]) == [ParsedDate(day, "day")]


def test_the_words_are_data():
    words = date_words()
    assert words.months["fevrier"] == words.months["february"] == 2
    assert words.weekdays["dimanche"] == 6
    assert len(set(words.months.values())) == 12
