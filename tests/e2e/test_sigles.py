"""Sigles end to end: lookup, autocomplete, ambiguity, reverse search and bad queries, through
the loopback Discord. Expected texts come from the shipped glossary, never from the bot."""

from __future__ import annotations

from functools import cache

from discord_server import Harness

from bot.i18n import t
from cogs.sigles.glossary import Glossary, load_glossary
from cogs.sigles.service import MAX_QUERY


@cache
def glossary() -> Glossary:
    return load_glossary()


def fields(reply) -> list[dict]:
    [embed] = reply.embeds
    return embed["fields"]


# -- lookup ----------------------------------------------------------------------------------------
async def test_lookup_by_any_spelling_shows_expansion_explanation_flag_and_source(
    world: Harness,
) -> None:
    [clsc] = glossary().lookup("CLSC")
    for typed in ("CLSC", "c.l.s.c", "C-L-S-C", "clsc"):
        reply = await world.guild.slash(world.bob, "sigle", terme=typed)
        assert reply.ephemeral
        [field] = fields(reply)
        assert reply.embeds[0]["title"] == "CLSC"
        assert field["name"] == f"⚜️ Québec — {clsc.developpe}"
        assert clsc.explication in field["value"]
        assert f"(<{clsc.source}>)" in field["value"]


async def test_lookup_shows_the_counterpart_on_the_other_side_with_its_relation(
    world: Harness,
) -> None:
    [rsa] = glossary().lookup("RSA", "FR")
    [aide_sociale] = glossary().lookup("Aide sociale", "QC")
    [counterpart] = [e for e in rsa.equivalents if e.ref == "QC:Aide sociale"]
    assert counterpart.relation == "proche" and counterpart.difference
    reply = await world.guild.slash(world.bob, "sigle", terme="RSA", region="FR")
    [field] = fields(reply)
    assert t("sigles.show.counterparts", "fr") in field["value"]
    assert (
        f"• **Aide sociale** (⚜️ Québec) — {aide_sociale.developpe} · "
        f"*proche* : {counterpart.difference}"
    ) in field["value"]
    # an exact counterpart says so, with no difference to explain
    reply = await world.guild.slash(world.bob, "sigle", terme="CHU", region="QC")
    [field] = fields(reply)
    assert (
        "• **CHU** (🇫🇷 France) — Centre hospitalier universitaire · *équivalent*"
        in (field["value"])
    )
    # and back, in English for Carol, however many counterparts the DPJ has
    [dpj] = glossary().lookup("DPJ", "QC")
    assert len(dpj.equivalents) >= 5
    reply = await world.guild.slash(world.carol, "sigle", terme="DPJ")
    [field] = fields(reply)
    assert "↔️ **On the other side**:" in field["value"]
    assert "• **ASE** (🇫🇷 France) — Aide sociale à l'enfance · *close*: " in field["value"]
    assert len(field["value"]) <= 1024 and field["value"].endswith(f"(<{dpj.source}>)")
    assert "See also" in field["value"]


async def test_a_past_name_and_its_successor_point_at_each_other(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "sigle", terme="Pôle emploi")
    [field] = fields(reply)
    assert "🕰️ Ancien nom ou dispositif, remplacé par : **France Travail**" in field["value"]
    reply = await world.guild.slash(world.bob, "sigle", terme="France Travail")
    [field] = fields(reply)
    assert "🕰️ Anciennement : **Pôle emploi** (🇫🇷 France)" in field["value"]
    # a body that took over several others "succeeds" them
    reply = await world.guild.slash(world.bob, "sigle", terme="CISSS")
    [field] = fields(reply)
    assert "🕰️ Succède à : **CSSS** (⚜️ Québec)" in field["value"]


async def test_historical_sigle_names_what_replaced_it(world: Harness) -> None:
    [csss] = glossary().lookup("CSSS", "QC")
    assert csss.historique and csss.remplace_par
    reply = await world.guild.slash(world.bob, "sigle", terme="CSSS")
    [field] = fields(reply)
    assert "Ancien nom" in field["value"]
    for ref in csss.remplace_par:
        assert f"**{glossary().resolve(ref)[0].sigle}**" in field["value"]


async def test_ambiguous_sigle_shows_every_meaning_grouped_by_region(world: Harness) -> None:
    meanings = glossary().lookup("CSS")
    assert {e.region for e in meanings} >= {"FR", "QC"} and len(meanings) >= 3
    reply = await world.guild.slash(world.bob, "sigle", terme="CSS")
    shown = fields(reply)
    assert len(shown) == len(meanings)
    assert reply.embeds[0]["description"] == t("sigles.show.meanings", "fr", n=len(meanings))
    regions = [f["name"].split(" — ")[0] for f in shown]
    # grouped: once a region's meanings end, it does not come back
    assert regions == sorted(regions, key=regions.index)
    for entry in meanings:
        assert any(entry.developpe in f["name"] for f in shown)
    # narrowed by the region option
    reply = await world.guild.slash(world.bob, "sigle", terme="CSS", region="QC")
    assert [f["name"] for f in fields(reply)] == [
        f"⚜️ Québec — {e.developpe}" for e in meanings if e.region == "QC"
    ]


async def test_reverse_search_finds_entries_by_the_words_of_their_expansion(
    world: Harness,
) -> None:
    reply = await world.guild.slash(world.bob, "sigle", terme="protection jeunesse")
    assert reply.ephemeral
    text = reply.text
    assert "protection jeunesse" in reply.embeds[0]["title"]
    for sigle in ("DPJ", "ASE", "PJJ"):
        assert f"**{sigle}**" in text


async def test_unknown_sigle_offers_did_you_mean_and_a_proposal_button(world: Harness) -> None:
    reply = await world.guild.slash(world.bob, "sigle", terme="CLCS")
    assert reply.ephemeral and not reply.embeds
    assert "Aucun sigle ne correspond à « CLCS »" in reply.text
    assert "Vouliez-vous dire" in reply.text and "**CLSC**" in reply.text
    assert [b["label"] for b in reply.message.buttons()] == ["Proposer ce sigle"]


# -- autocomplete ----------------------------------------------------------------------------------
async def test_autocomplete_prefix_fuzzy_dots_and_at_most_25(world: Harness) -> None:
    choices = await world.guild.autocomplete(world.bob, "sigle", terme="ciuss")
    assert choices[0]["value"] == "CIUSSS"
    choices = await world.guild.autocomplete(world.bob, "sigle", terme="c.l.s.c")
    assert choices[0]["value"] == "CLSC"
    assert choices[0]["name"].startswith("CLSC (QC) — ")
    many = await world.guild.autocomplete(world.bob, "sigle", terme="c")
    assert len(many) == 25 and all(len(c["name"]) <= 100 for c in many)
    empty = await world.guild.autocomplete(world.bob, "sigle", terme="")
    assert 0 < len(empty) <= 25


async def test_autocomplete_puts_the_servers_region_first(world: Harness) -> None:
    # The test server's zone is Europe/Paris: France first.
    choices = await world.guild.autocomplete(world.bob, "sigle", terme="CSS")
    assert choices[0]["name"].startswith("CSS (FR)")
    await world.guild.slash(world.alice, "config region", region="QC")
    choices = await world.guild.autocomplete(world.bob, "sigle", terme="CSS")
    assert choices[0]["name"].startswith("CSS (QC)")
    # the region option, once chosen, wins
    choices = await world.guild.autocomplete(world.bob, "sigle", region="FR", terme="CSS")
    assert choices[0]["name"].startswith("CSS (FR)")


# -- bad queries -----------------------------------------------------------------------------------
async def test_empty_or_over_long_queries_are_explained(world: Harness) -> None:
    for blank in ("   ", "..."):
        reply = await world.guild.slash(world.bob, "sigle", terme=blank)
        assert reply.ephemeral and reply.text == t("sigles.error.empty_query", "fr")
    long = "protection " * 15
    reply = await world.guild.slash(world.carol, "sigle", terme=long)
    assert reply.ephemeral
    assert reply.text == t(
        "sigles.error.query_too_long", "en", max=MAX_QUERY, length=len(long.strip())
    )
    assert await world.guild.autocomplete(world.bob, "sigle", terme=long) == []
