"""Sending windows: local hours, days off and daylight saving, on fixed dates (no real clock)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from services.organisations.sending_window import MAX_DAYS_AHEAD, SendingWindow, parse_holidays

NEW_YORK = "America/New_York"
EVERY_DAY = frozenset(range(7))

# Each zone with the UTC reading of 09:00 local in winter (Russia has no DST; Berlin is UTC+1).
ZONES = [
    pytest.param("Europe/Moscow", "06:00", id="moscow"),
    pytest.param("Asia/Yekaterinburg", "04:00", id="nefteyugansk"),
    pytest.param("Asia/Krasnoyarsk", "02:00", id="norilsk"),
    pytest.param("Asia/Irkutsk", "01:00", id="bodaibo"),
    pytest.param("Europe/Berlin", "08:00", id="berlin"),
]


def at(zone: str, text: str) -> datetime:
    """A local wall-clock reading in `zone` (the earlier one if it repeats)."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(zone))


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def wall(moment: datetime, zone: str) -> time:
    return moment.astimezone(ZoneInfo(zone)).time()


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_friday_evening_opens_on_monday_morning(zone: str, nine: str) -> None:
    window = SendingWindow(zone)
    opening = window.next_opening(at(zone, "2027-02-05 20:00"))  # Friday
    assert opening == utc(f"2027-02-08 {nine}")
    assert opening.tzinfo is UTC


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_saturday_opens_on_monday(zone: str, nine: str) -> None:
    window = SendingWindow(zone)
    assert not window.is_open(at(zone, "2027-02-06 12:00"))
    assert window.next_opening(at(zone, "2027-02-06 12:00")) == utc(f"2027-02-08 {nine}")


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_holiday_on_monday_opens_on_tuesday(zone: str, nine: str) -> None:
    window = SendingWindow(zone, holidays=frozenset({date(2027, 2, 8)}))
    assert not window.is_open(at(zone, "2027-02-08 12:00"))
    assert window.next_opening(at(zone, "2027-02-05 20:00")) == utc(f"2027-02-09 {nine}")


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_new_year_holidays_open_on_the_ninth(zone: str, nine: str) -> None:
    holidays = parse_holidays("\n".join(f"0{day}.01.2026" for day in range(1, 9)))
    window = SendingWindow(zone, holidays=holidays)
    assert window.next_opening(at(zone, "2025-12-31 20:00")) == utc(f"2026-01-09 {nine}")


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_a_moment_inside_the_window_is_its_own_opening(zone: str, nine: str) -> None:
    window = SendingWindow(zone)
    moment = at(zone, "2027-02-10 12:34:56")  # Wednesday
    assert window.is_open(moment)
    assert window.next_opening(moment) == moment
    assert window.next_opening(at(zone, "2027-02-10 07:00")) == utc(f"2027-02-10 {nine}")


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_the_end_is_exclusive(zone: str, nine: str) -> None:
    window = SendingWindow(zone)
    assert window.is_open(at(zone, "2027-02-09 09:00"))
    assert not window.is_open(at(zone, "2027-02-09 08:59:59"))
    assert window.is_open(at(zone, "2027-02-09 18:59:59"))
    assert not window.is_open(at(zone, "2027-02-09 19:00"))
    assert window.next_opening(at(zone, "2027-02-09 19:00")) == utc(f"2027-02-10 {nine}")


def test_local_date_is_the_organisations_date() -> None:
    window = SendingWindow("Asia/Irkutsk")
    assert window.local_date(utc("2027-02-08 17:00")) == date(2027, 2, 9)


@pytest.mark.parametrize(("zone", "nine"), ZONES)
def test_spread_covers_the_whole_window_evenly_and_deterministically(zone: str, nine: str) -> None:
    window = SendingWindow(zone)
    moment = at(zone, "2027-02-06 00:00")  # Saturday: everything goes on Monday
    times = [window.spread(moment, key) for key in range(10_000)]
    assert times == [window.spread(moment, key) for key in range(10_000)]
    assert all(t.tzinfo is UTC for t in times)
    assert min(times) >= utc(f"2027-02-08 {nine}")
    assert all(window.is_open(t) and t >= moment for t in times)
    assert {window.local_date(t) for t in times} == {date(2027, 2, 8)}
    hours = Counter(wall(t, zone).hour for t in times)
    assert set(hours) == set(range(9, 19))
    assert all(800 <= count <= 1200 for count in hours.values()), hours


def test_spread_keeps_a_keys_offset_from_day_to_day() -> None:
    window = SendingWindow("Asia/Krasnoyarsk")
    monday = window.spread(at("Asia/Krasnoyarsk", "2027-02-08 00:00"), 4242)
    tuesday = window.spread(at("Asia/Krasnoyarsk", "2027-02-09 00:00"), 4242)
    assert tuesday - monday == timedelta(days=1)


def test_spread_after_the_slot_has_passed_sends_at_the_moment() -> None:
    zone = "Europe/Moscow"
    window = SendingWindow(zone)
    slots = {key: window.spread(at(zone, "2027-02-08 00:00"), key) for key in range(1_000)}
    moment = at(zone, "2027-02-08 14:00")
    for key, slot in slots.items():
        assert window.spread(moment, key) == max(slot, moment)
    late = sum(slot < moment for slot in slots.values())
    assert 400 <= late <= 600


def test_spread_into_slots_gives_slot_starts() -> None:
    zone = "Asia/Yekaterinburg"
    window = SendingWindow(zone)
    times = [window.spread(at(zone, "2027-02-08 00:00"), key, slots=10) for key in range(1_000)]
    assert {wall(t, zone) for t in times} == {time(hour) for hour in range(9, 19)}
    with pytest.raises(ValueError, match="slots"):
        window.spread(at(zone, "2027-02-08 00:00"), 1, slots=0)


def test_daylight_saving_moves_the_utc_opening_over_the_weekend() -> None:
    window = SendingWindow(NEW_YORK)
    assert window.next_opening(at(NEW_YORK, "2027-03-12 20:00")) == utc("2027-03-15 13:00")
    assert window.next_opening(at(NEW_YORK, "2027-11-05 20:00")) == utc("2027-11-08 14:00")
    berlin = SendingWindow("Europe/Berlin")
    assert berlin.next_opening(at("Europe/Berlin", "2027-03-26 20:00")) == utc("2027-03-29 07:00")


def test_a_start_in_the_spring_forward_gap_opens_at_the_first_valid_time() -> None:
    # New York, 2027-03-14: 02:00 EST jumps to 03:00 EDT (07:00 UTC); 02:30 never happens.
    window = SendingWindow(NEW_YORK, start=time(2, 30), end=time(6, 0), weekdays=EVERY_DAY)
    assert window.next_opening(at(NEW_YORK, "2027-03-14 00:00")) == utc("2027-03-14 07:00")
    assert not window.is_open(utc("2027-03-14 06:59:59"))
    times = [window.spread(at(NEW_YORK, "2027-03-14 00:00"), key) for key in range(2_000)]
    assert all(utc("2027-03-14 07:00") <= t < utc("2027-03-14 10:00") for t in times)
    assert all(time(3, 0) <= wall(t, NEW_YORK) < time(6, 0) for t in times)


def test_a_repeated_hour_at_fall_back_counts_once() -> None:
    # New York, 2027-11-07: 01:00-01:59 runs twice, EDT (05:00 UTC) then EST (06:00 UTC).
    window = SendingWindow(NEW_YORK, start=time(1, 0), end=time(2, 0), weekdays=EVERY_DAY)
    assert window.next_opening(at(NEW_YORK, "2027-11-07 00:00")) == utc("2027-11-07 06:00")
    assert not window.is_open(utc("2027-11-07 05:30"))
    assert window.is_open(utc("2027-11-07 06:30"))
    times = [window.spread(at(NEW_YORK, "2027-11-07 00:00"), key) for key in range(2_000)]
    assert all(utc("2027-11-07 06:00") <= t < utc("2027-11-07 07:00") for t in times)
    assert all(time(1, 0) <= wall(t, NEW_YORK) < time(2, 0) for t in times)


@pytest.mark.parametrize(
    ("start", "end", "opening", "closing"),
    [
        (time(0, 0), time(4, 0), "2027-11-07 04:00", "2027-11-07 09:00"),  # spans the change
        (time(0, 30), time(1, 30), "2027-11-07 04:30", "2027-11-07 05:30"),  # ends in it
        (time(1, 10), time(1, 40), "2027-11-07 06:10", "2027-11-07 06:40"),  # inside it
    ],
)
def test_fall_back_windows_stay_within_local_hours(
    start: time, end: time, opening: str, closing: str
) -> None:
    window = SendingWindow(NEW_YORK, start=start, end=end, weekdays=EVERY_DAY)
    moment = at(NEW_YORK, "2027-11-07 00:00")
    assert window.next_opening(moment) == utc(opening)
    times = [window.spread(moment, key) for key in range(2_000)]
    assert all(utc(opening) <= t < utc(closing) for t in times)
    assert all(start <= wall(t, NEW_YORK) < end for t in times)


def test_settings_round_trip() -> None:
    settings: dict[str, Any] = {
        "window_start": "08:30",
        "window_end": "17:45",
        "weekdays": [0, 1, 2, 3, 4, 5],
        "holidays": ["2027-01-01", "2027-01-07"],
    }
    window = SendingWindow.from_settings("Asia/Irkutsk", {**settings, "cadence_days": 14})
    assert window.start == time(8, 30)
    assert window.holidays == {date(2027, 1, 1), date(2027, 1, 7)}
    assert window.to_settings() == settings
    assert SendingWindow.from_settings("Asia/Irkutsk", window.to_settings()) == window
    assert SendingWindow.from_settings("Asia/Irkutsk", {}) == SendingWindow("Asia/Irkutsk")


@pytest.mark.parametrize(
    ("settings", "message"),
    [
        ({"window_start": "19:00", "window_end": "09:00"}, "must be after start"),
        ({"window_end": "08:00"}, "must be after start"),
        ({"window_start": "25:00"}, "window_start must be a time of day HH:MM: '25:00'"),
        ({"window_end": "19"}, "window_end must be a time of day"),
        ({"window_end": 19}, "window_end must be a time of day"),
        ({"weekdays": [0, 7]}, "weekdays must be a list"),
        ({"weekdays": [True]}, "weekdays must be a list"),
        ({"weekdays": "01234"}, "weekdays must be a list"),
        ({"weekdays": []}, "no weekday allowed"),
        ({"holidays": ["2027-13-01"]}, "holiday must be a date YYYY-MM-DD: '2027-13-01'"),
        ({"holidays": ["01.01.2027"]}, "holiday must be a date"),
        ({"holidays": "2027-01-01"}, "holidays must be a list"),
    ],
)
def test_invalid_settings_are_refused(settings: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        SendingWindow.from_settings("Europe/Moscow", settings)


def test_invalid_constructions_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        SendingWindow("Europe/Norilsk")
    with pytest.raises(ValueError, match="no weekday allowed"):
        SendingWindow("Europe/Moscow", weekdays=frozenset())
    with pytest.raises(ValueError, match="must be after start"):
        SendingWindow("Europe/Moscow", start=time(9), end=time(9))
    with pytest.raises(ValueError, match="whole minutes"):
        SendingWindow("Europe/Moscow", start=time(9, 0, 30))


def test_parse_holidays_reads_what_curators_type() -> None:
    both = frozenset({date(2027, 1, 1), date(2027, 1, 7)})
    assert parse_holidays("01.01.2027, 07.01.2027") == both
    assert parse_holidays("01.01.2027\n07.01.2027\n") == both
    assert parse_holidays(" 1.1.2027;7.01.2027 ") == both
    assert parse_holidays("") == frozenset()


@pytest.mark.parametrize("bad", ["32.01.2027", "29.02.2027", "2027-01-01", "01.01.27", "января"])
def test_parse_holidays_names_the_bad_item(bad: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(bad))):
        parse_holidays(f"01.01.2027, {bad}, 07.01.2027")


def test_naive_datetimes_are_refused() -> None:
    window = SendingWindow("Europe/Moscow")
    naive = datetime(2027, 2, 8, 12, 0)  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="naive"):
        window.is_open(naive)
    with pytest.raises(ValueError, match="naive"):
        window.next_opening(naive)
    with pytest.raises(ValueError, match="naive"):
        window.spread(naive, 1)
    with pytest.raises(ValueError, match="naive"):
        window.local_date(naive)


def test_the_search_ahead_is_bounded() -> None:
    start = date(2027, 1, 1)
    year = frozenset(start + timedelta(days=n) for n in range(MAX_DAYS_AHEAD))
    window = SendingWindow("Europe/Moscow", weekdays=EVERY_DAY, holidays=year)
    last = start + timedelta(days=MAX_DAYS_AHEAD)
    assert window.local_date(window.next_opening(at("Europe/Moscow", "2027-01-01 00:00"))) == last
    blocked = SendingWindow("Europe/Moscow", weekdays=EVERY_DAY, holidays=year | {last})
    with pytest.raises(ValueError, match="no sending day"):
        blocked.next_opening(at("Europe/Moscow", "2027-01-01 00:00"))
