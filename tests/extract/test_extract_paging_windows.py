"""Window cutting and the drift-safe reading of live listings."""

from __future__ import annotations

import datetime as dt

import pytest

from include.extract.paging import (
    ListingDrift,
    ListingRules,
    ListingUnbounded,
    Page,
    collect_window,
)
from include.extract.windows import (
    QLVB_LOOKBACK_DAYS,
    VN_TZ,
    Window,
    month_windows,
    nightly_window,
    quarter_windows,
    with_lookback,
)

D = dt.date


def test_month_windows_cover_the_range_within_31_days():
    windows = month_windows(Window(D(2023, 1, 15), D(2023, 3, 2)))
    assert [str(w) for w in windows] == [
        "2023-01-15..2023-01-31",
        "2023-02-01..2023-02-28",
        "2023-03-01..2023-03-02",
    ]
    year = month_windows(Window(D(2023, 12, 1), D(2024, 12, 31)))
    assert len(year) == 13
    assert all((w.end_instant - w.start_instant).days <= 31 for w in year)


def test_window_instants_are_vietnam_midnights_with_exclusive_end():
    window = Window(D(2023, 1, 1), D(2023, 1, 31))
    assert window.start_instant.isoformat() == "2023-01-01T00:00:00+07:00"
    assert window.end_instant.isoformat() == "2023-02-01T00:00:00+07:00"


def test_quarter_windows_stay_within_92_days_apart():
    windows = quarter_windows(Window(D(2022, 11, 20), D(2023, 7, 5)))
    assert [str(w) for w in windows] == [
        "2022-11-20..2022-12-31",
        "2023-01-01..2023-03-31",
        "2023-04-01..2023-06-30",
        "2023-07-01..2023-07-05",
    ]
    assert all((w.end - w.start).days <= 92 for w in windows)


def test_nightly_window_with_register_lookback():
    night = nightly_window(D(2023, 7, 21))
    assert str(night) == "2023-07-20..2023-07-20"
    hscv = with_lookback(night, QLVB_LOOKBACK_DAYS["hscv"])
    assert (hscv.end - hscv.start).days + 1 == QLVB_LOOKBACK_DAYS["hscv"]
    assert with_lookback(Window(D(2020, 1, 1), D(2023, 7, 20)), 31).start == D(2020, 1, 1)


START = dt.datetime(2023, 1, 1, tzinfo=VN_TZ)
END = dt.datetime(2023, 2, 1, tzinfo=VN_TZ)


def _rules(max_restarts: int = 2, max_splits: int = 1, page_size: int = 2) -> ListingRules:
    return ListingRules(
        identity=lambda r: r["id"],
        version=lambda r: r["v"],
        max_restarts=max_restarts,
        max_splits=max_splits,
        page_size=page_size,
    )


def _pages(records: list[dict], size: int):
    def fetch(start, end, index):
        chunk = records[index * size : (index + 1) * size]
        return Page(chunk, len(records), (index + 1) * size >= len(records))

    return fetch


def test_duplicates_across_pages_keep_the_newest_version():
    records = [{"id": 1, "v": 1}, {"id": 2, "v": 1}, {"id": 3, "v": 1}]

    def fetch(start, end, index):
        pages = [[records[0], records[1]], [{"id": 2, "v": 2}, records[2]]]
        # The total counts distinct records: 3.
        return Page(pages[index], 3, index == 1)

    listing = collect_window(fetch, START, END, _rules())
    assert sorted((r["id"], r["v"]) for r in listing.records) == [(1, 1), (2, 2), (3, 1)]
    assert listing.restarts == 0


def test_a_listing_whose_total_moves_is_read_again():
    records = [{"id": i, "v": 0} for i in range(5)]
    calls = []

    def fetch(start, end, index):
        calls.append(index)
        page = _pages(records, 2)(start, end, index)
        # The second page of the first pass reports a moved total.
        return Page(page.records, 6 if len(calls) == 2 else 5, page.last)

    listing = collect_window(fetch, START, END, _rules())
    assert len(listing.records) == 5
    assert listing.restarts == 1
    assert calls == [0, 1, 0, 1, 2]


def test_a_skipped_record_is_noticed_although_the_total_held():
    records = [{"id": i, "v": 0} for i in range(4)]
    passes = []

    def fetch(start, end, index):
        if index == 0:
            passes.append(1)
            return Page(records[0:2], 4, False)
        if len(passes) == 1:
            # Record 1 was updated after page 0 and moved to the end ([0, 2, 3, 1]): page 1
            # serves [3, 1], record 2 slips through a page boundary, the total stays 4.
            return Page([records[3], records[1]], 4, True)
        return Page(records[2:4], 4, True)

    listing = collect_window(fetch, START, END, _rules())
    assert sorted(r["id"] for r in listing.records) == [0, 1, 2, 3]
    assert listing.restarts == 1


def test_a_window_that_never_settles_is_split_then_fails():
    windows = []

    def fetch(start, end, index):
        windows.append((start, end))
        return Page([{"id": index, "v": 0}], 10 + len(windows), False)

    with pytest.raises(ListingDrift, match="kept changing"):
        collect_window(fetch, START, END, _rules(max_restarts=1, max_splits=1))
    assert (START, END) in windows
    middle = START + (END - START) / 2
    assert (START, middle) in windows


def test_split_window_results_are_merged():
    records = {i: {"id": i, "v": 0, "at": START + dt.timedelta(days=i)} for i in range(31)}
    full_window_calls = []

    def fetch(start, end, index):
        if (start, end) == (START, END):
            full_window_calls.append(index)
            return Page([], 31 + len(full_window_calls), True)  # keeps moving
        inside = [r for r in records.values() if start <= r["at"] < end]
        return Page(inside, len(inside), True)

    listing = collect_window(fetch, START, END, _rules(max_restarts=2, max_splits=1))
    assert sorted(r["id"] for r in listing.records) == list(range(31))
    assert listing.splits == 1
    assert listing.restarts == 2


def test_a_record_that_moves_out_while_paging_is_kept_as_it_was_served():
    # Record 1 is served on page 0, then updated: it leaves the window (its new update time is
    # after it), the total drops, and the pass that is read again no longer holds it.
    records = [{"id": i, "v": 0} for i in range(4)]
    passes = []

    def fetch(start, end, index):
        if index == 0:
            passes.append(1)
        current = records if len(passes) == 1 and index == 0 else records[:1] + records[2:]
        chunk = current[index * 2 : (index + 1) * 2]
        return Page(chunk, len(current), (index + 1) * 2 >= len(current))

    listing = collect_window(fetch, START, END, _rules())

    assert sorted(r["id"] for r in listing.records) == [0, 1, 2, 3]
    assert listing.moved_out == 1
    assert listing.restarts == 1
    assert [total for _, _, total in listing.totals] == [3]


def test_a_record_seen_again_after_moving_within_the_window_is_not_moved_out():
    # Record 1 is updated to the end of the window while page 0 is read: the second pass holds
    # it at its new version; nothing moved out.
    first = [{"id": 0, "v": 0}, {"id": 1, "v": 0}, {"id": 2, "v": 0}, {"id": 3, "v": 0}]
    later = [first[0], first[2], first[3], {"id": 1, "v": 1}]
    passes = []

    def fetch(start, end, index):
        if index == 0:
            passes.append(1)
        current = first if len(passes) == 1 and index == 0 else later
        return Page(current[index * 2 : (index + 1) * 2], 4, index == 1)

    listing = collect_window(fetch, START, END, _rules())
    assert sorted((r["id"], r["v"]) for r in listing.records) == [(0, 0), (1, 1), (2, 0), (3, 0)]
    assert listing.moved_out == 0


def test_a_total_above_the_limit_fails_at_once():
    calls = []

    def fetch(start, end, index):
        calls.append(index)
        return Page([{"id": index, "v": 0}], 10**9, False)

    rules = ListingRules(lambda r: r["id"], lambda r: r["v"], 3, 3, page_size=1000, max_total=10**6)
    with pytest.raises(ListingUnbounded, match=r"announces 1000000000 records.*max_listing_total"):
        collect_window(fetch, START, END, rules)
    assert calls == [0]


def test_endless_paging_with_a_constant_total_stops_after_the_pages_it_allows():
    calls = []

    def fetch(start, end, index):
        calls.append(index)
        # Never the last page: one record each, always the same total.
        return Page([{"id": index, "v": 0}], 5000, False)

    with pytest.raises(ListingUnbounded, match=r"did not end after 6 pages \(total 5000"):
        collect_window(fetch, START, END, _rules(page_size=1000))
    assert calls == list(range(6))


def test_identical_records_within_one_page_are_distinct_but_a_page_overlap_is_not():
    step = {"id": "HS-1|20230105080000|4", "v": 0}
    other = {"id": "HS-2|20230105080000|4", "v": 0}
    pages = [
        # Two identical steps on one page: two steps.
        [step, dict(step)],
        # The page overlaps the previous one by a record (the spec's "same record on two
        # pages"): one record.
        [dict(step), other],
    ]

    def fetch(start, end, index):
        return Page(pages[index], 3, index == 1)

    rules = ListingRules(
        lambda r: r["id"], lambda r: r["v"], 2, 1, page_size=2, repeats_in_page_are_records=True
    )
    listing = collect_window(fetch, START, END, rules)
    assert sorted(r["id"] for r in listing.records) == [step["id"], step["id"], other["id"]]
    assert listing.restarts == 0
