"""/mes-donnees: every section a member may see is named in their language."""

from __future__ import annotations

from datetime import UTC, datetime

from apero_support import advance_to, create_series, reminders_in
from discord_server import Harness

from bot.i18n import has, t


async def test_apero_section_is_named_in_the_members_language(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await create_series(world, annonces)
    await advance_to(world, datetime(2026, 3, 5, 17, tzinfo=UTC))
    [eve] = reminders_in(annonces)
    await eve.click("Je serai là (0)", by=world.bob)
    await eve.click("Je serai là (1)", by=world.carol)
    for member, lang in ((world.bob, "fr"), (world.carol, "en")):
        shown = await world.guild.slash(member, "mes-donnees")
        [field] = shown.embeds[0]["fields"]
        assert field["name"] == t("mes_donnees.section.apero", lang) != "apero"


async def test_every_registered_section_has_a_name_in_both_catalogs(world: Harness) -> None:
    for name in world.bot.personal_data._providers:
        for lang in ("fr", "en"):
            assert has(f"mes_donnees.section.{name}", lang), (name, lang)
