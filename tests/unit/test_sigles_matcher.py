"""Autocomplete, lookup, reverse search and "did you mean" over the shipped glossary."""

from __future__ import annotations

import itertools

import pytest

from bot.regions import REGIONS
from cogs.sigles.glossary import Entry, load_glossary
from cogs.sigles.matcher import KINDS, Matcher, normalise, tokens


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_glossary())


@pytest.mark.parametrize(
    "query", ["clsc", "CLSC", "c.l.s.c", "C.L.S.C.", " c-l-s-c ", "c l s c", "ÇLSC"]
)
def test_case_accents_dots_hyphens_spaces(matcher, query):
    first = matcher.suggest(query)[0]
    assert first.entry.ref == "QC:CLSC" and first.kind == "exact"


def test_normalise():
    assert normalise("C.L.S.C.") == "clsc"
    assert normalise("Pôle-Emploi") == normalise("pole emploi") == "poleemploi"
    assert normalise("CÉGEP") == "cegep"
    assert tokens("l'Aide sociale à l'enfance") == ["aide", "sociale", "enfance"]


def test_fuzzy_ciuss_finds_ciusss(matcher):
    assert not matcher.lookup("ciuss")  # not a sigle nor an alias: fuzzy must do it
    result = matcher.suggest("ciuss")
    assert result[0].entry.sigle == "CIUSSS" and result[0].kind in ("prefix", "fuzzy")
    assert "CISSS" in [m.entry.sigle for m in result[:3]]
    typo = matcher.suggest("ciussss")  # one letter too many: only fuzzy can find it
    assert typo[0].entry.sigle == "CIUSSS" and typo[0].kind == "fuzzy"
    swapped = [m.entry.sigle for m in matcher.suggest("cuisss")[:2]]
    assert "CIUSSS" in swapped


def test_at_most_25_best_first(matcher):
    for query in ("c", "a", "d", "cs", "p", "ase", "ciuss", "protection"):
        result = matcher.suggest(query)
        assert len(result) <= 25
        ranks = [(KINDS.index(m.kind), -m.score) for m in result]
        assert ranks == sorted(ranks), query
    assert len(matcher.suggest("c")) == 25
    assert len(matcher.suggest("c", limit=5)) == 5
    assert len(matcher.suggest("c", limit=100)) == 25


def test_exact_then_prefix_then_fuzzy(matcher):
    kinds = [m.kind for m in matcher.suggest("cs")]
    assert kinds[0] == "exact" and "prefix" in kinds
    assert "fuzzy" in [m.kind for m in matcher.suggest("cnest")]
    seen = [KINDS.index(k) for k in kinds]
    assert seen == sorted(seen)


@pytest.mark.parametrize("region", ["FR", "QC"])
def test_preferred_region_breaks_ties(matcher, region):
    result = matcher.suggest("css", region_first=region)
    exact = [m for m in result if m.kind == "exact"]
    assert {m.entry.region for m in exact} >= {"FR", "QC"}
    assert exact[0].entry.region == region
    # within each tier and score, the preferred region comes first
    for a, b in itertools.pairwise(result):
        if (a.kind, a.score) == (b.kind, b.score) and a.entry.region != b.entry.region:
            assert not (b.entry.region == region and a.entry.region != region)


def test_ambiguity_ass_and_css(matcher):
    ass = matcher.lookup("ASS")
    assert {e.developpe for e in ass} == {
        "Allocation de solidarité spécifique",
        "Assistant de service social",
    }
    assert len({e.domaine for e in ass}) == 2
    css = matcher.lookup("c.s.s")
    regions = [e.region for e in css]
    assert regions == sorted(regions, key=REGIONS.index)  # grouped by region
    assert {"FR", "QC"} <= set(regions)
    assert [e.developpe for e in matcher.lookup("CSS", region="QC")] == [
        "Centre de services scolaire"
    ]


def test_reverse_search_protection_jeunesse(matcher):
    top = [e.ref for e in matcher.search_text("protection jeunesse")[:10]]
    for ref in ("QC:DPJ", "FR:ASE", "FR:PJJ"):
        assert ref in top, top
    assert matcher.search_text("protection jeunesse", region="FR")[0].region == "FR"
    assert "FR:AAH" in [e.ref for e in matcher.search_text("adultes handicapés")[:3]]
    assert matcher.search_text("le la de") == []


def test_did_you_mean(matcher):
    assert "CISSS" in matcher.did_you_mean("cisssq")
    assert "CNESST" in matcher.did_you_mean("cnest")
    assert matcher.did_you_mean("") == []
    assert matcher.did_you_mean("qqqqqqqqqqqqq") == []


def test_text_tier_completes_autocomplete(matcher):
    result = matcher.suggest("logement social")
    assert result and all(m.kind == "text" for m in result)
    assert "FR:HLM" in [m.entry.ref for m in result]


def test_guild_entries_come_first(matcher):
    extra = Entry(
        sigle="ASE",
        region="QC",
        developpe="Association des étudiants",
        explication="Sigle local.",
        domaine="formation",
        source="https://example.org",
        origin="guild",
        guild_id=1,
    )
    layered = Matcher(matcher.glossary.with_extra([extra]))
    exact = [m for m in layered.suggest("ase", region_first="QC") if m.kind == "exact"]
    assert exact[0].entry.origin == "guild"


def test_label_fits_discord(matcher):
    for m in matcher.suggest("c"):
        assert len(m.label()) <= 100
