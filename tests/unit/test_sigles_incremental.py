"""A server's index changed entry by entry (`Library.changed`, what a `/glossaire` change does
on the event loop) answers exactly as one built from scratch (`build_library`): random
sequences of additions, edits and removals, compared after every step on everything members
and moderators see (autocomplete, lookup, reverse search, "did you mean", references, the
moderators' picker, credits) and on the glossary's entries in order."""

from __future__ import annotations

import dataclasses

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.regions import REGIONS
from cogs.sigles.glossary import DOMAINES, Entry, Glossary, load_glossary
from cogs.sigles.service import GuildEntry, Library, build_library

FULL = load_glossary()
GUILD = 1
# A slice of the shipped glossary (fast to rebuild at every step), ASE and CLSC among them.
SHIPPED = Glossary(
    e for n, e in enumerate(FULL.entries) if n < 40 or e.key in {"ase", "clsc", "cpas"}
)
# Shipped meanings a server may restate (the server's entry then replaces the shipped one).
RESTATED = [e for e in SHIPPED.entries if e.key in {"ase", "clsc", "cpas"}]

SIGLES = ["AB", "ABC", "A.B.C.", "ABD", "ASE", "A.S.E.", "CLSC", "ZZQ", "CPAS", "XY"]
TEXTS = [
    "Aide sociale à l'enfance",
    "Accueil des jeunes en difficulté",
    "Centre local de services communautaires",
    "Service d'accompagnement des familles",
    "Dispositif local d'aide aux jeunes",
]
QUERIES = [
    "",
    "a",
    "ab",
    "abc",
    "abd",
    "as",
    "ase",
    "asee",
    "sae",
    "clsc",
    "clcs",
    "cpas",
    "zzq",
    "xy",
    "aide",
    "jeun",
    "jeunes",
    "service",
    "aide sociale",
    "local aide",
    "centre local",
    "familles accompagnement",
]
REFS = ["FR:ASE", "QC:CLSC", "BE:CPAS", "QC:AB", "FR:ABC", "CH:ZZQ"]


@st.composite
def entries(draw: st.DrawFn) -> Entry:
    if draw(st.integers(0, 4)) == 0:  # the very meaning of a shipped entry
        shipped = draw(st.sampled_from(RESTATED))
        return dataclasses.replace(
            shipped, origin="guild", guild_id=GUILD, explication=draw(st.sampled_from(TEXTS))
        )
    return Entry(
        sigle=draw(st.sampled_from(SIGLES)),
        region=draw(st.sampled_from(REGIONS)),
        developpe=draw(st.sampled_from(TEXTS)),
        explication=draw(st.sampled_from(TEXTS)),
        domaine=draw(st.sampled_from(DOMAINES)),
        source="https://example.org",
        alias=tuple(draw(st.lists(st.sampled_from(SIGLES), max_size=2))),
        origin="guild",
        guild_id=GUILD,
    )


# (what, which existing row (an index, modulo their number), the new entry, contributor)
steps = st.lists(
    st.tuples(
        st.sampled_from(["add", "edit", "remove", "edit+add"]),
        st.integers(0, 1000),
        entries(),
        st.sampled_from([None, 7, 8]),
    ),
    min_size=1,
    max_size=12,
)


def seen(library: Library) -> tuple[object, ...]:
    """Everything the index answers."""
    m, g = library.matcher, library.glossary
    return (
        g.entries,
        g.order,
        library.rows,
        dict(library.credits),
        [[r.id for r in library.pick(q, 25)] for q in QUERIES],
        [m.suggest(q, region_first=r, limit=25) for q in QUERIES for r in (None, "QC", "FR")],
        [m.suggest(q, limit=3) for q in QUERIES],
        [m.lookup(q) for q in QUERIES],
        [m.lookup(q, "QC") for q in QUERIES],
        [m.search_text(q, limit=10) for q in QUERIES],
        [m.did_you_mean(q) for q in QUERIES],
        [g.lookup(q) for q in QUERIES],
        [g.resolve(ref) for ref in REFS],
    )


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(steps)
def test_changed_entry_by_entry_answers_as_built_from_scratch(changes: list) -> None:
    rows: dict[int, GuildEntry] = {}
    library = build_library(SHIPPED, ())
    next_id = 1
    for what, pick, entry, contributor in changes:
        others = {r.entry.identity for r in rows.values()}
        old = list(rows.values())[pick % len(rows)] if rows else None
        removed: list[GuildEntry] = []
        added: list[GuildEntry] = []
        if what in ("edit", "remove", "edit+add") and old is not None:
            # what the flows pass: the row as read again from the database (an equal copy)
            removed.append(dataclasses.replace(old))
            others.discard(old.entry.identity)
            del rows[old.id]
        if what in ("add", "edit", "edit+add") and entry.identity not in others:
            # the store refuses a second entry with the same meaning in one server
            row_id = old.id if what == "edit" and old is not None else next_id
            next_id += row_id == next_id
            added.append(GuildEntry(row_id, entry, contributor_id=contributor))
            rows[row_id] = added[-1]
            others.add(entry.identity)
        if what == "edit+add" and old is not None:  # two changes at once (a small import)
            again = dataclasses.replace(old, id=next_id)
            next_id += 1
            if again.entry.identity not in others:
                added.append(again)
                rows[again.id] = again
        library = library.changed(removed, added)
        assert seen(library) == seen(build_library(SHIPPED, rows.values()))


def test_a_change_leaves_the_library_it_comes_from_as_it_was() -> None:
    """Autocomplete may still read the old index (and a worker thread its glossary)."""
    first = GuildEntry(1, next(iter(st_examples())), contributor_id=7)
    before = build_library(SHIPPED, [first])
    snapshot = seen(before)
    second = GuildEntry(2, dataclasses.replace(first.entry, sigle="ZZQ", alias=("ABC",)))
    after = before.changed([first], [second])
    assert seen(before) == snapshot
    assert after.matcher.lookup("ZZQ") and not before.matcher.lookup("ZZQ")
    assert not after.matcher.lookup(first.entry.sigle) or first.entry.sigle == "ZZQ"


def test_restating_a_shipped_meaning_replaces_it_and_removing_it_brings_it_back() -> None:
    shipped = RESTATED[0]
    own = GuildEntry(
        1, dataclasses.replace(shipped, origin="guild", guild_id=GUILD, explication="Chez nous.")
    )
    plain = build_library(SHIPPED, ())
    restated = plain.changed(added=[own])
    assert shipped not in restated.glossary.entries
    assert [e.explication for e in restated.matcher.lookup(shipped.sigle, shipped.region)] == [
        "Chez nous."
    ]
    back = restated.changed(removed=[own])
    assert back.matcher.lookup(shipped.sigle, shipped.region) == [shipped]
    assert seen(back) == seen(plain)


def st_examples() -> list[Entry]:
    return [
        Entry(
            sigle="AB",
            region="QC",
            developpe=TEXTS[1],
            explication=TEXTS[3],
            domaine=DOMAINES[0],
            source="https://example.org",
            origin="guild",
            guild_id=GUILD,
        )
    ]
