"""Sigles rules without Discord: queries, fields, imports; the answer embed within limits."""

from __future__ import annotations

import pytest

from bot.user_error import UserError
from cogs.sigles import render, service
from cogs.sigles.export import to_csv
from cogs.sigles.glossary import MAX_SIGLE, Entry, Glossary, load_glossary
from cogs.sigles.matcher import Matcher

SHIPPED = load_glossary()


def _error(call, *args, **kwargs) -> UserError:
    with pytest.raises(UserError) as caught:
        call(*args, **kwargs)
    return caught.value


def test_queries_are_trimmed_and_bounded() -> None:
    assert service.clean_query("  c.l.s.c  ") == "c.l.s.c"
    assert _error(service.clean_query, " - . ").key == "sigles.error.empty_query"
    too_long = _error(service.clean_query, "a" * (service.MAX_QUERY + 1))
    assert too_long.key == "sigles.error.query_too_long"
    assert too_long.params["length"] == service.MAX_QUERY + 1


def test_answer_kinds() -> None:
    matcher = Matcher(SHIPPED)
    assert service.answer(matcher, "clsc").kind == "found"
    assert service.answer(matcher, "protection jeunesse").kind == "reverse"
    missing = service.answer(matcher, "clcs")
    assert missing.kind == "not_found" and "CLSC" in missing.did_you_mean
    assert missing.can_propose
    assert not service.answer(matcher, "q" * (MAX_SIGLE + 1)).can_propose


FIELDS = {
    "sigle": "MRC",
    "region": "qc",
    "domaine": "institutions",
    "developpe": "Municipalité régionale de comté",
    "explication": "Regroupement de municipalités.",
    "source": "https://www.quebec.ca",
    "equivalents": ["FR:EPCI"],
}


def test_build_entry_checks_each_field_with_its_own_message() -> None:
    entry = service.build_entry(FIELDS, guild_id=1, known=SHIPPED)
    assert entry.region == "QC" and entry.origin == "guild" and entry.guild_id == 1
    cases = {
        "sigles.error.bad_region": {"region": "US"},
        "sigles.error.bad_domain": {"domaine": "cuisine"},
        "sigles.error.bad_source": {"source": "http://www.quebec.ca"},
        "sigles.error.field_empty": {"explication": "  "},
        "sigles.error.field_too_long": {"developpe": "x" * 201},
        "sigles.error.bad_ref": {"equivalents": ["EPCI"]},
        "sigles.error.unknown_ref": {"equivalents": ["FR:ZZZQ"]},
    }
    for key, change in cases.items():
        assert _error(service.build_entry, FIELDS | change, guild_id=1, known=SHIPPED).key == key


def test_import_is_all_or_nothing_with_row_numbers() -> None:
    entry = service.build_entry(FIELDS, guild_id=1, known=SHIPPED)
    text = to_csv([entry, entry.__class__(**{**_fields(entry), "sigle": "ABC"})])
    assert len(service.parse_import(text.encode(), "x.csv", guild_id=1, known=SHIPPED)) == 2
    broken = text.replace(",QC,", ",ZZ,", 1)
    error = _error(service.parse_import, broken.encode(), "x.csv", guild_id=1, known=SHIPPED)
    assert error.key == "sigles.error.import_rows" and "ligne 2" in error.params["rows"]
    assert (
        _error(service.parse_import, b"\xff\xfe", "x.csv", guild_id=1, known=SHIPPED).key
        == "sigles.error.import_encoding"
    )


def _fields(entry: Entry) -> dict:
    return {name: getattr(entry, name) for name in entry.__slots__ if name not in ("file", "line")}


def test_answer_embed_stays_within_discord_limits_however_many_meanings() -> None:
    base = Entry(
        sigle="ZZ",
        region="FR",
        developpe="D",
        explication="x" * 400,
        domaine="sante",
        source="https://a.org",
        equivalence_note="n" * 400,
        equivalents=("QC:DPJ",),
        origin="guild",
    )
    many = [Entry(**{**_fields(base), "developpe": f"Sens {i} " + "y" * 150}) for i in range(40)]
    glossary = Glossary([*SHIPPED, *many])
    answer = service.answer(Matcher(glossary), "ZZ")
    assert len(answer.entries) == 40
    embed = render.answer_embed(answer, glossary, "fr", {})
    assert len(embed) <= 6000 and len(embed.fields) <= 25
    assert all(len(f.value or "") <= 1024 and len(f.name or "") <= 256 for f in embed.fields)
    assert embed.fields[-1].name == "…"
