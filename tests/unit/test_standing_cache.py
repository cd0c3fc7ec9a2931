"""What the bot remembers of a person between updates, and when it forgets it."""

from __future__ import annotations

from datetime import timedelta

from models import Consent, ConsentDocument, Person, Profile, RoleAssignment
from services.core.identity import AccountKey
from services.core.transactions import UNKNOWN_TABLE, CommittedWrites
from services.people.standing_cache import StandingCache
from tests.fakes import FakeClock

ANNA, BORIS = AccountKey("telegram", "1"), AccountKey("telegram", "2")


def _cache(clock: FakeClock, **options: object) -> StandingCache[str]:
    cache: StandingCache[str] = StandingCache(clock, **options)  # type: ignore[arg-type]
    cache.put(ANNA, 1, "anna", cache.token())
    cache.put(BORIS, 2, "boris", cache.token())
    return cache


def _rows(*rows: object) -> CommittedWrites:
    return CommittedWrites(rows, frozenset())


def test_a_write_about_one_person_forgets_only_them() -> None:
    cache = _cache(FakeClock())
    cache.note(_rows(RoleAssignment(person_id=1)))
    assert cache.get(ANNA) is None
    assert cache.get(BORIS) == "boris"
    cache.note(_rows(Consent(person_id=2)))
    assert cache.get(BORIS) is None


def test_writes_that_change_nobody_forget_nothing() -> None:
    cache = _cache(FakeClock())
    cache.note(_rows(Profile(person_id=1)))
    cache.note(CommittedWrites((), frozenset({"form_progress", "notification"})))
    assert (cache.get(ANNA), cache.get(BORIS)) == ("anna", "boris")


def test_a_consent_text_or_a_bulk_statement_forgets_everyone() -> None:
    for writes in (
        _rows(ConsentDocument(organisation_id=1)),
        CommittedWrites((), frozenset({"person"})),
        CommittedWrites((), frozenset({UNKNOWN_TABLE})),
    ):
        cache = _cache(FakeClock())
        cache.note(writes)
        assert (cache.get(ANNA), cache.get(BORIS)) == (None, None)


def test_a_read_older_than_a_commit_is_not_kept() -> None:
    """A slow read that began before a commit must not put back what the commit changed."""
    cache: StandingCache[str] = StandingCache(FakeClock())
    token = cache.token()
    cache.note(_rows(Person(id=1)))  # commits while the read is under way
    cache.put(ANNA, 1, "anna as she was", token)
    assert cache.get(ANNA) is None


def test_what_is_remembered_expires() -> None:
    clock = FakeClock()
    cache = _cache(clock, cached_for=timedelta(minutes=1))
    clock.advance(seconds=59)
    assert cache.get(ANNA) == "anna"
    clock.advance(seconds=1)
    assert cache.get(ANNA) is None


def test_the_least_recently_seen_make_room() -> None:
    clock = FakeClock()
    cache = _cache(clock, capacity=2)
    assert cache.get(ANNA) == "anna"  # Anna is more recent than Boris now
    cache.put(AccountKey("telegram", "3"), 3, "vera", cache.token())
    assert cache.get(BORIS) is None
    assert cache.get(ANNA) == "anna"
    # Forgetting Anna later still works after the eviction bookkeeping.
    cache.note(_rows(Person(id=1)))
    assert cache.get(ANNA) is None
