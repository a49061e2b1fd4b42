"""How /sigle words counterparts and past names, within Discord's 1024 characters a field."""

from __future__ import annotations

from bot.discord_text import EMBED_FIELD_VALUE_LIMIT
from bot.i18n import t
from cogs.sigles.glossary import Entry, Equivalent, Glossary, Relation
from cogs.sigles.render import entry_value

PROCHE = Relation.PROCHE


def entry(ref: str, **fields) -> Entry:
    region, _, sigle = ref.partition(":")
    return Entry(
        sigle,
        region,
        fields.pop("developpe", f"Développé de {sigle}"),
        fields.pop("explication", "Une explication."),
        "institutions",
        "https://example.org/page",
        **fields,
    )


def test_each_counterpart_shows_its_relation_and_its_difference() -> None:
    rsa = entry(
        "FR:RSA",
        equivalents=(
            Equivalent("QC:AS", PROCHE, "Versé par le ministère."),
            Equivalent("QC:CH", Relation.EQUIVALENT),
        ),
    )
    glossary = Glossary([rsa, entry("QC:AS", developpe="Aide sociale"), entry("QC:CH")])
    value = entry_value(rsa, glossary, "fr")
    assert t("sigles.show.counterparts", "fr") in value
    assert "• **AS** (⚜️ Québec) — Aide sociale · *proche* : Versé par le ministère." in value
    assert "• **CH** (⚜️ Québec) — Développé de CH · *équivalent*" in value
    english = entry_value(rsa, glossary, "en")
    assert "· *close*: Versé par le ministère." in english and "· *equivalent*" in english


def test_many_long_counterparts_fit_and_france_quebec_keeps_its_differences_first() -> None:
    long = "d" * 200
    others = [f"BE:B{n}" for n in range(3)] + [f"CH:C{n}" for n in range(3)]
    mains = [f"QC:Q{n}" for n in range(4)]
    ase = entry(
        "FR:ASE",
        explication="e" * 200,
        equivalents=tuple(Equivalent(ref, PROCHE, long) for ref in [*others, *mains]),
    )
    glossary = Glossary([ase, *(entry(ref) for ref in [*others, *mains])])
    value = entry_value(ase, glossary, "fr")
    assert len(value) <= EMBED_FIELD_VALUE_LIMIT
    assert value.endswith("(<https://example.org/page>)")  # the source is never cut
    for ref in mains:  # France–Québec: every one named, with (a part of) its difference
        line = next(line for line in value.splitlines() if f"**{ref[3:]}**" in line)
        assert "*proche* : ddd" in line
    for ref in others:  # Belgium, Switzerland: named, the relation alone
        line = next(line for line in value.splitlines() if f"**{ref[3:]}**" in line)
        assert line.endswith("*proche*")


def test_when_even_the_bare_lines_do_not_fit_the_rest_are_counted() -> None:
    refs = [f"QC:Q{n:02}" for n in range(25)]
    ase = entry(
        "FR:ASE",
        explication="e" * 400,
        equivalents=tuple(Equivalent(ref, PROCHE, "x" * 100) for ref in refs),
    )
    glossary = Glossary([ase, *(entry(ref, developpe="D" * 60) for ref in refs)])
    value = entry_value(ase, glossary, "fr")
    assert len(value) <= EMBED_FIELD_VALUE_LIMIT
    assert "• … (+" in value and "**Q00**" in value


def test_a_servers_counterpart_without_relation_is_named_plainly() -> None:
    local = Entry(
        "ZZA",
        "QC",
        "Sigle local",
        "Propre au serveur.",
        "institutions",
        "https://a.org",
        equivalents=("FR:ASE",),
        origin="guild",
    )
    glossary = Glossary([local, entry("FR:ASE")])
    value = entry_value(local, glossary, "fr")
    assert "• **ASE** (🇫🇷 France) — Développé de ASE\n" in value


def test_past_names_and_successors() -> None:
    anpe = entry("FR:ANPE", historique=True, remplace_par=("FR:PE",))
    pole = entry(
        "FR:PE", historique=True, remplace_par=("FR:FT",), remplace=("FR:ANPE", "FR:ASSEDIC")
    )
    assedic = entry("FR:ASSEDIC", historique=True, remplace_par=("FR:PE", "FR:UNEDIC"))
    ft = entry("FR:FT", remplace=("FR:PE",))
    unedic = entry("FR:UNEDIC", remplace=("FR:ASSEDIC",))
    glossary = Glossary([anpe, pole, assedic, ft, unedic])
    value = entry_value(pole, glossary, "fr")
    assert "🕰️ Ancien nom ou dispositif, remplacé par : **FT** (🇫🇷 France)" in value
    assert "🕰️ Anciennement : **ANPE** (🇫🇷 France)" in value  # renamed into PE alone
    assert "🕰️ Succède à : **ASSEDIC** (🇫🇷 France)" in value  # split between PE and Unédic
    assert "🕰️ Anciennement : **PE** (🇫🇷 France)" in entry_value(ft, glossary, "fr")
