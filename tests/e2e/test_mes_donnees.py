"""/mes-donnees: every section and every item a member may see is named in their language."""

from __future__ import annotations

import json
import logging
import re
from datetime import UTC, datetime
from typing import Any

import pytest
from apero_support import advance_to, create_series, reminders_in
from discord_server import Harness
from tableau_support import forum, publish_offer

from bot.i18n import has, t, tn
from bot.web.store import LinkScope
from cogs.mes_donnees import render


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
    for name in world.bot.personal_data.names:
        for lang in ("fr", "en"):
            assert has(f"mes_donnees.section.{name}", lang), (name, lang)


# A raw key: a catalog key (« soutien.data.links ») or a code name (« private_threads_opened »).
RAW_KEY = re.compile(r"\b[a-z]+(?:[._][a-z]+)+\b")
URL = re.compile(r"https?://\S+")


def raw_keys(text: str) -> list[str]:
    return RAW_KEY.findall(URL.sub("", text).replace(render.EXPORT_NAME, ""))


def strings_of(value: Any) -> list[str]:
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *strings_of(v)]]
    if isinstance(value, list):
        return [s for v in value for s in strings_of(v)]
    return [value] if isinstance(value, str) else []


async def test_every_feature_s_data_is_labelled_with_no_raw_key(
    world: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Alice leaves something in every feature; /mes-donnees names it all in French words."""
    caplog.set_level(logging.WARNING, logger="bot.i18n")
    alice = world.alice
    annonces = world.guild.channel("annonces")
    # apéros: a series she created, and « Je serai là »
    await create_series(world, annonces)
    await advance_to(world, datetime(2026, 3, 5, 17, tzinfo=UTC))
    [eve] = reminders_in(annonces)
    await eve.click("Je serai là (0)", by=alice)
    # preferences
    await world.guild.slash(alice, "rappels", fuseau="America/Montreal")
    # annonces
    scheduled = await world.guild.slash(
        alice, "annonce programmer", salon=annonces, quand="demain 10h", texte="Bonjour"
    )
    assert "programmée" in scheduled.text, scheduled.text
    # rencontres: organised and answered
    preview = await world.guild.slash(
        alice,
        "rencontre creer",
        titre="Café réseau",
        quand="samedi 10h",
        format="visio",
        lien="https://meet.jit.si/cafe",
    )
    done = await preview.click("Publier", by=alice)
    link = re.search(r"channels/\d+/(\d+)/(\d+)", done.text)
    assert link is not None, done.text
    post = next(m for m in world.state.channels[int(link[1])].messages if m.id == int(link[2]))
    await post.click("Je viens", by=alice)
    # sigles: a suggestion waiting for the moderators
    mods = await world.add_channel("moderation")
    await world.guild.slash(alice, "config salon-moderation", salon=mods)
    found = await world.guild.slash(alice, "sigle", terme="MRC")
    form = await found.click("sigles:propose:MRC", by=alice)
    await form.submit_modal(
        {
            "sigle": "MRC",
            "region": ["QC"],
            "domaine": ["institutions"],
            "developpe": "Municipalité régionale de comté",
            "explication": "Un regroupement.",
        },
        by=alice,
    )
    # soutien: an anonymous message (with reply notices) and a private thread
    support = await world.add_channel("soutien")
    await world.guild.slash(alice, "soutien config salon", salon=support)
    choice = await world.guild.slash(alice, "soutien ouvrir")
    modal = await choice.click("sout:open:anon", by=alice)
    posted = await modal.submit_modal({"body": "Besoin d'en parler."}, by=alice)
    thread = next(c for c in world.guild.threads if c.parent_id == support.id)
    await posted.click(f"sout:notify:{thread.id}", by=alice)
    choice = await world.guild.slash(alice, "soutien ouvrir")
    await choice.click("sout:open:private", by=alice)
    # agenda: her own calendar link (`world` has no web side: made through the core's store)
    await world.bot.web_store.issue(
        LinkScope.MEMBER, alice.id, lang="fr", label="", now=world.clock.now()
    )

    # réseau: a profile
    opened = await world.guild.slash(alice, "profil creer", profession="fr-ass", lieu="FR-29")
    await opened.submit_modal({"presentation": "AS", "city": "", "years": ""}, by=alice)

    # tableau: an offer of hers and an alert; what she proposed to the moderators (approvals)
    offers = await forum(world, "offres")
    await world.guild.slash(alice, "tableau config", offres=offers)
    await publish_offer(world, alice, title="Offre d'Alice")
    form = await world.guild.slash(alice, "alertes offres")
    choices = {"categories": [], "countries": [], "places": "", "professions": ""}
    await form.submit_modal({**choices, "rhythm": ["now"]}, by=alice)
    post_id = await world.bot.db.fetchval("SELECT id FROM tableau_posts")
    await world.in_bot(
        lambda: world.bot.approvals.submit(
            "tableau.post",
            str(post_id),
            guild=world.bot.get_guild(world.guild.id),
            author_id=alice.id,
            channel_id=None,
            lang="fr",
        )
    )
    # notices: her DMs closed, the alert about Bob's offer waits for her next command
    alice.dms_open = False
    await publish_offer(world, world.bob, title="Offre de Bob")

    shown = await world.guild.slash(alice, "mes-donnees")
    sections = world.bot.personal_data.names
    assert {f["name"] for f in shown.embeds[0]["fields"]} == {
        t(f"mes_donnees.section.{name}", "fr") for name in sections
    }
    assert not raw_keys(shown.text), raw_keys(shown.text)
    for key in ("soutien.data.links", "soutien.data.private_threads", "apero.data.attendance"):
        assert tn(key, 1, "fr") in shown.text  # counts in words, singular here
    assert t("rencontre.data.state.published", "fr") not in shown.text  # the file has details
    exported = json.loads(shown.attachments[0].text)
    words = strings_of(exported)
    assert t("rencontre.data.state.published", "fr") in words  # a status, in words
    assert t("sigles.data.state.pending", "fr") in words
    assert not [w for w in words if raw_keys(w)], [w for w in words if raw_keys(w)]
    # the same data in English: no raw key either
    english = render.document(await world.bot.personal_data.export(alice.id), "en")
    assert not [w for w in strings_of(english) if raw_keys(w)]
    # a one-word key (« answers ») escapes the pattern, not the catalogs: none was missing
    assert not [r.getMessage() for r in caplog.records if r.name == "bot.i18n"]
