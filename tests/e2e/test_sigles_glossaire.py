"""Sigles end to end, moderators: `/glossaire ajouter|modifier|supprimer|importer|exporter`,
the import/export round trip, malformed files, non-moderators; and the CLI export of a server."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sys
from asyncio.subprocess import PIPE
from pathlib import Path
from typing import Any

from discord_server import Harness
from discord_server.process import database_env

from bot.i18n import t
from cogs.sigles.export import CSV_HEADER
from cogs.sigles.glossary import load_glossary

ROOT = Path(__file__).resolve().parents[2]
OPTSQ: dict[str, Any] = {
    "sigle": "OPTSQ",
    "region": "QC",
    "domaine": "profession",
    "developpe": "Ordre professionnel des travailleurs sociaux du Québec",
    "explication": "Ancien ordre professionnel des travailleurs sociaux, devenu l'OTSTCFQ.",
    "source": "https://www.otstcfq.org",
    "historique": True,
}
MRC: dict[str, Any] = {
    "sigle": "MRC",
    "region": "QC",
    "domaine": "institutions",
    "developpe": "Municipalité régionale de comté",
    "explication": "Regroupement des municipalités d'un territoire.",
    "source": "https://www.quebec.ca/gouvernement/gouvernement-local",
    "equivalents": "FR:EPCI",
}


async def add(world: Harness, user: Any, **options: Any) -> Any:
    return await world.guild.slash(user, "glossaire ajouter", **options)


async def rows(world: Harness) -> int:
    return int(await world.bot.db.fetchval("SELECT COUNT(*) FROM sigles_entries"))


async def export(world: Harness, fmt: str) -> str:
    reply = await world.guild.slash(world.alice, "glossaire exporter", format=fmt)
    assert reply.ephemeral
    [attachment] = reply.attachments
    assert attachment.filename.endswith(f".{fmt}")
    return attachment.text


async def test_moderators_add_edit_remove_server_entries_on_top_of_the_shipped_ones(
    world: Harness,
) -> None:
    added = await add(world, world.alice, **MRC)
    assert added.text == t("sigles.admin.added", "fr", sigle="MRC", region="Québec")
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    [field] = reply.embeds[0]["fields"]
    assert MRC["explication"] in field["value"] and "**EPCI** (🇫🇷 France)" in field["value"]
    assert t("sigles.show.server_entry", "fr") in field["value"]
    # a server meaning of a shipped sigle sits next to the shipped ones
    shipped = await world.guild.slash(world.bob, "sigle", terme="ASE")
    await add(world, world.alice, **(MRC | {"sigle": "ASE", "developpe": "Amicale locale"}))
    both = await world.guild.slash(world.bob, "sigle", terme="ASE")
    assert len(both.embeds[0]["fields"]) == len(shipped.embeds[0]["fields"]) + 1

    # edit: the moderator picks the entry by autocomplete; only the given fields change
    choices = await world.guild.autocomplete(world.alice, "glossaire modifier", entree="mrc")
    [choice] = choices
    assert choice["name"].startswith("MRC (QC)")
    done = await world.guild.slash(
        world.alice, "glossaire modifier", entree=choice["value"], explication="Nouveau texte."
    )
    assert done.text == t("sigles.admin.edited", "fr", sigle="MRC", region="Québec")
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    [field] = reply.embeds[0]["fields"]
    assert "Nouveau texte." in field["value"] and "**EPCI**" in field["value"]
    # the shipped glossary is read-only: its sigles are not offered, and not accepted
    assert await world.guild.autocomplete(world.alice, "glossaire modifier", entree="clsc") == []
    nope = await world.guild.slash(world.alice, "glossaire supprimer", entree="CLSC")
    assert nope.text == t("sigles.error.unknown_entry", "fr")

    gone = await world.guild.slash(world.alice, "glossaire supprimer", entree=choice["value"])
    assert gone.text == t("sigles.admin.removed", "fr", sigle="MRC", region="Québec")
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    assert not reply.embeds
    assert await rows(world) == 1


async def test_bad_entries_and_non_moderators_are_refused_and_nothing_is_written(
    world: Harness,
) -> None:
    member = await add(world, world.bob, **MRC)
    assert member.ephemeral and member.text == t("errors.not_moderator", "fr")
    regions = "FR, QC, BE, CH"
    cases = [
        (MRC | {"source": "http://www.quebec.ca"}, t("sigles.error.bad_source", "fr")),
        (MRC | {"equivalents": "FR:ZZZZQ"}, t("sigles.error.unknown_ref", "fr", ref="FR:ZZZZQ")),
        (MRC | {"equivalents": "DPJ"}, t("sigles.error.bad_ref", "fr", ref="DPJ", regions=regions)),
        (
            MRC | {"developpe": "x" * 201},
            t("sigles.error.field_too_long", "fr", field="forme développée", max=200, length=201),
        ),
        (MRC | {"sigle": "-.-"}, t("sigles.error.no_letters", "fr", sigle="-.-")),
    ]
    for options, expected in cases:
        reply = await add(world, world.alice, **options)
        assert reply.ephemeral and reply.text == expected
    carol = await add(world, world.carol, **(MRC | {"source": "ftp://x.org"}))
    assert carol.text == t("errors.not_moderator", "en")
    assert await rows(world) == 0
    await add(world, world.alice, **MRC)
    twice = await add(world, world.alice, **MRC)
    assert twice.text == t("sigles.error.exists", "fr", sigle="MRC", region="Québec")
    assert await rows(world) == 1


async def test_export_then_import_round_trip_in_csv_and_json(world: Harness) -> None:
    await add(world, world.alice, **MRC)
    await add(world, world.alice, **OPTSQ)
    for fmt in ("csv", "json"):
        text = await export(world, fmt)
        if fmt == "csv":
            table = list(csv.reader(io.StringIO(text)))
            assert tuple(table[0]) == CSV_HEADER
            assert sorted(r[0] for r in table[1:]) == ["MRC", "OPTSQ"]
        else:
            assert sorted(e["sigle"] for e in json.loads(text)) == ["MRC", "OPTSQ"]
        for entry in ("MRC", "OPTSQ"):
            [choice] = await world.guild.autocomplete(
                world.alice, "glossaire supprimer", entree=entry
            )
            await world.guild.slash(world.alice, "glossaire supprimer", entree=choice["value"])
        assert await rows(world) == 0
        done = await world.guild.slash(
            world.alice, "glossaire importer", fichier=(f"sigles.{fmt}", text.encode())
        )
        assert done.text == t("sigles.admin.imported", "fr", n=2, updated=0), done.text
        assert await export(world, fmt) == text
        reply = await world.guild.slash(world.bob, "sigle", terme="optsq")
        assert "Ancien nom" in reply.text
    # importing the same file again replaces, never duplicates
    again = await world.guild.slash(
        world.alice, "glossaire importer", fichier=("sigles.json", text.encode())
    )
    assert again.text == t("sigles.admin.imported", "fr", n=0, updated=2)
    assert await rows(world) == 2


async def test_malformed_imports_report_every_bad_row_and_import_nothing(world: Harness) -> None:
    cells = ["MRC", "QC", "Municipalité régionale de comté", "Texte.", "institutions", "", ""]
    good = ",".join([*cells, "false", "https://www.quebec.ca"])
    bad_region = good.replace(",QC,", ",XX,")
    short = "ABC,FR,Trop court"
    text = "\n".join([",".join(CSV_HEADER), good, bad_region, short]) + "\n"
    reply = await world.guild.slash(
        world.alice, "glossaire importer", fichier=("sigles.csv", text.encode())
    )
    assert reply.text.startswith(t("sigles.error.import_rows", "fr", n=2, rows="").strip())
    assert "ligne 3" in reply.text and "XX" in reply.text and "ligne 4" in reply.text
    assert "ligne 2" not in reply.text
    assert await rows(world) == 0
    broken = await world.guild.slash(
        world.alice, "glossaire importer", fichier=("sigles.json", b'[{"sigle": ')
    )
    assert "JSON" in broken.text and await rows(world) == 0
    latin1 = await world.guild.slash(
        world.alice, "glossaire importer", fichier=("s.csv", text.encode("latin-1"))
    )
    assert latin1.text == t("sigles.error.import_encoding", "fr")
    odd = await world.guild.slash(world.alice, "glossaire importer", fichier=("s.txt", b"hello"))
    assert odd.text == t("sigles.error.import_format", "fr")
    member = await world.guild.slash(
        world.bob, "glossaire importer", fichier=("sigles.csv", text.encode())
    )
    assert member.text == t("errors.not_moderator", "fr")
    assert await rows(world) == 0


async def test_an_english_moderator_reads_the_bad_rows_in_english(world: Harness) -> None:
    role = world.guild.role("Modération")
    await world.guild.slash(world.alice, "config role-moderation", role=role)
    # carol (en-US) gets the moderators' role on the test server
    await world.guild.set_roles(world.carol, [role])
    cells = ["MRC", "QC", "Municipalité régionale de comté", "Texte.", "institutions", "", ""]
    good = ",".join([*cells, "false", "https://www.quebec.ca"])
    bad_region = good.replace(",QC,", ",XX,")
    bad_ref = good.replace("MRC,", "CLSC,", 1).replace(",,,false,", ",,FR:NOPE,false,")
    bad_bool = good.replace("MRC,", "DPJ,", 1).replace(",false,", ",peut-être,")
    short = "ABC,FR,Trop court"
    lines = [",".join(CSV_HEADER), good, bad_region, bad_ref, bad_bool, short]
    text = "\n".join(lines) + "\n"
    reply = await world.guild.slash(
        world.carol, "glossaire importer", fichier=("sigles.csv", text.encode())
    )
    assert reply.ephemeral
    assert reply.text.startswith("Nothing was imported: 4 problems in the file."), reply.text
    for line in (
        "• line 3: unknown region “XX” (expected: FR, QC, BE, CH)",
        "• line 4: QC:CLSC: reference “FR:NOPE” (equivalents) not found",
        "• line 5: field “historique”: true or false expected",
        "• line 6: 3 columns instead of 9",
    ):
        assert line in reply.text, reply.text
    assert "ligne" not in reply.text and "inconnue" not in reply.text
    assert await rows(world) == 0
    # the same file from a French moderator: French lines
    french = await world.guild.slash(
        world.alice, "glossaire importer", fichier=("sigles.csv", text.encode())
    )
    assert "• ligne 3 : région inconnue « XX »" in french.text, french.text
    assert await rows(world) == 0
    broken = await world.guild.slash(
        world.carol, "glossaire importer", fichier=("sigles.json", b'[{"sigle": "A"}, 3]')
    )
    assert "• line 1: required field “region” missing or empty" in broken.text, broken.text
    assert "• line 2: an object is expected" in broken.text
    assert await rows(world) == 0


async def test_cli_exports_a_servers_entries_from_the_bots_database(
    world: Harness, database: Path | str
) -> None:
    await add(world, world.alice, **MRC)
    env = os.environ | database_env(database) | {"DISCORD_TOKEN": ""}
    command = ["-m", "bot", "sigles", "export", "--format", "csv", "--guild", str(world.guild.id)]
    process = await asyncio.create_subprocess_exec(
        sys.executable, *command, cwd=ROOT, env=env, stdout=PIPE, stderr=PIPE
    )
    out, err = await asyncio.wait_for(process.communicate(), timeout=60)
    assert process.returncode == 0, err.decode()
    table = list(csv.reader(io.StringIO(out.decode())))
    assert tuple(table[0]) == CSV_HEADER
    # the shipped glossary plus the server's own entry
    assert len(table) - 1 == len(load_glossary()) + 1
    assert [r[:3] for r in table[1:] if r[0] == "MRC"] == [["MRC", "QC", MRC["developpe"]]]


async def test_the_index_of_a_server_the_bot_left_is_dropped(world: Harness) -> None:
    await add(world, world.alice, **MRC)
    reply = await world.guild.slash(world.bob, "sigle", terme="MRC")
    assert MRC["explication"] in reply.text
    libraries = world.bot.get_cog("SiglesCog").flows.libraries
    assert libraries.cached() == {world.guild.id: 1}
    world.server.gateway.dispatch("GUILD_DELETE", {"id": str(world.guild.id)})  # removed
    await world.idle()
    assert world.bot.get_guild(world.guild.id) is None
    assert libraries.cached() == {}
