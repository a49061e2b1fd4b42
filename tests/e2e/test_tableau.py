"""Le tableau through the loopback Discord: configuration and tags, offers (publish, search,
Pourvue, edit, expiry), bad input, mention safety, forum faults, reports, restarts."""

from __future__ import annotations

from datetime import UTC, datetime

import discord
from aide_support import aide_pages
from discord_server import permissions as P
from tableau_support import OFFER, board, forum, publish_offer

from bot.db.timestamps import to_ts


def labels(message) -> list[str]:  # type: ignore[no-untyped-def]
    return [b["label"] for b in message.buttons()]


async def advance_to(world, when: datetime) -> None:  # type: ignore[no-untyped-def]
    await world.advance(seconds=(when - world.bot.clock.now()).total_seconds())


async def test_config_creates_the_tags_and_an_offer_is_posted(world) -> None:
    offers, news = await board(world)
    assert {"Europe", "Québec", "Stage", "Emploi", "Clôturée", "Pourvue"} <= set(offers.tags)
    assert "Ouverture" in news.tags and "Stage" not in news.tags
    done = await publish_offer(world, world.bob, profession="fr-es", ville="Brest")
    assert "publiée" in done.text and done.ephemeral
    [post] = offers.posts
    assert post.title == "Éducatrice ou éducateur spécialisé"
    assert set(post.tags) == {"Europe", "Emploi"}
    text = post.starter_message.text
    assert "MECS Les Tilleuls" in text and "Brest" in text and "Finistère" in text
    assert f"<@{world.bob.id}>" in text
    assert labels(post.starter_message) == ["Pourvue", "Modifier", "Signaler"]
    shown = await world.guild.slash(world.alice, "tableau config")  # no option: the settings
    assert offers.mention in shown.text and "tout de suite" in shown.text


async def test_bad_input_is_refused_and_nothing_is_written(world) -> None:
    offers, _ = await board(world)
    vague = await publish_offer(world, world.bob, deadline="fin janvier")
    assert "« 31 janvier »" in vague.text and vague.ephemeral
    past = await publish_offer(world, world.bob, deadline="15/01/2026")
    assert "déjà passé" in past.text
    hour = await publish_offer(world, world.bob, deadline="15/03 18h")
    assert "sans heure" in hour.text
    link = await publish_offer(world, world.bob, link="javascript:alert(1)")
    assert "https://" in link.text
    empty = await publish_offer(world, world.bob, structure="   ")
    assert "Il manque" in empty.text and "Structure" in empty.text
    place = await world.guild.slash(world.bob, "offre publier", type="stage", lieu="Atlantide")
    assert "Lieu inconnu" in place.text and place.modal is None
    english = await publish_offer(world, world.carol, deadline="end of january")
    assert "“January 31”" in english.text
    assert offers.posts == []
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM tableau_posts") == 0


async def test_user_text_is_escaped_and_mentions_nobody(world) -> None:
    offers, _ = await board(world)
    role = world.guild.role("Modération")
    await publish_offer(
        world,
        world.bob,
        title="@everyone **Urgent** <@&" + str(role.id) + ">",
        description="Contact @here et <@" + str(world.carol.id) + "> __vite__",
    )
    [post] = offers.posts
    request = world.requests_to("POST", rf"^/channels/{offers.id}/threads$")[-1]
    assert request.json["message"]["allowed_mentions"]["parse"] == []
    embed = post.starter_message.embeds[0]
    assert "\\*\\*Urgent\\*\\*" in embed["title"] and "@\u200beveryone" in embed["title"]
    assert "@\u200bhere" in embed["description"] and "\\_\\_vite\\_\\_" in embed["description"]


async def test_a_deadline_closes_the_offer_at_the_end_of_its_day_where_it_is(world) -> None:
    offers, _ = await board(world)
    # Montréal (QC-06): the 16 March ends at 04:00 UTC on the 17th (EDT since 8 March)
    await publish_offer(world, world.bob, lieu="QC-06", deadline="16/03", title="Stage TS")
    [post] = offers.posts
    await advance_to(world, datetime(2026, 3, 17, 3, 59, tzinfo=UTC))
    assert post.title == "Stage TS" and not post.archived
    await advance_to(world, datetime(2026, 3, 17, 4, 1, tzinfo=UTC))
    assert post.title == "[Clôturée] Stage TS"
    assert post.archived and post.locked
    assert "Clôturée" in post.tags
    assert post.starter_message.buttons() == []
    assert "clôturée" in post.starter_message.text
    found = await world.guild.slash(world.carol, "offre chercher")
    assert "Stage TS" not in found.text
    await world.restart()  # closed once: nothing happens again
    assert post.title == "[Clôturée] Stage TS"
    renames = [r for r in world.requests_to("PATCH", rf"^/channels/{post.id}$") if "name" in r.json]
    assert len(renames) == 1


async def test_an_offer_without_deadline_closes_after_sixty_days(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob)
    [post] = offers.posts
    await world.advance(days=59)
    assert not post.locked
    await world.advance(days=1, hours=1)
    assert post.locked and post.title.startswith("[Clôturée]")


async def test_pourvue_by_its_author_or_a_moderator_only(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob, title="Première")
    await publish_offer(world, world.bob, title="Seconde")
    first, second = offers.posts
    refused = await world.click(first.starter_message, "Pourvue", by=world.carol)
    assert "Only the person" in refused.text and not first.locked
    done = await world.click(first.starter_message, "Pourvue", by=world.bob)
    assert "pourvue" in done.text
    assert first.title == "[Pourvue] Première" and first.locked and "Pourvue" in first.tags
    await world.click(second.starter_message, "Pourvue", by=world.alice)  # a moderator
    assert second.title == "[Pourvue] Seconde"
    await world.advance(days=61)  # no deadline closing after « Pourvue »
    assert first.title == "[Pourvue] Première"


async def test_edit_renames_and_moves_the_deadline(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob, deadline="20/03")
    [post] = offers.posts
    form = await world.click(post.starter_message, "Modifier", by=world.bob)
    assert form.modal is not None
    edited = {**OFFER, "title": "Éducateur spécialisé (CDD)", "deadline": "31 mars"}
    done = await form.submit_modal(edited, by=world.bob)
    assert "modifiée" in done.text
    assert post.title == "Éducateur spécialisé (CDD)"
    assert "31 mars 2026" in post.starter_message.text
    await world.advance(days=20)  # the old deadline passes: still open
    assert not post.locked
    stolen = await world.click(post.starter_message, "Modifier", by=world.carol)
    assert stolen.modal is None and "Only the person" in stolen.text


async def test_search_with_filters_and_pages(world) -> None:
    await board(world)
    for i in range(12):
        await publish_offer(world, world.bob, lieu="QC-06", type="stage", title=f"Stage {i}")
    await publish_offer(world, world.bob, lieu="FR-75", type="emploi", profession="fr-ass")
    first = await world.guild.slash(world.carol, "offre chercher", type="stage")
    assert first.ephemeral and "Stage 11" in first.text and "Stage 1 " not in first.text
    assert "12 offers" in first.text  # Carol reads English
    second = await first.click("Next", by=world.carol)
    assert "Stage 1" in second.text and "Stage 11" not in second.text
    # the equivalent profession on the other side finds the French offer
    across = await world.guild.slash(world.carol, "offre chercher", profession="qc-ts")
    assert "Éducatrice ou éducateur spécialisé" in across.text
    none = await world.guild.slash(world.bob, "offre chercher", lieu="BE", mots="introuvable")
    assert "Aucune offre" in none.text
    places = await world.guild.autocomplete(world.bob, "offre chercher", lieu="montr")
    assert places[0]["value"] == "QC-06"


async def test_too_many_tags_is_refused_with_what_to_do(world) -> None:
    crowded = await forum(world, "offres", tags=[f"Étiquette {i}" for i in range(15)])
    refused = await world.guild.slash(world.alice, "tableau config", offres=crowded)
    assert "15 étiquettes" in refused.text and "20" in refused.text
    assert len(crowded.tags) == 15
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM tableau_config") == 0


async def test_without_manage_channels_moderators_are_told_which_tags_to_create(world) -> None:
    plain = await world.add_channel("offres", type=discord.ChannelType.forum)
    refused = await world.guild.slash(world.alice, "tableau config", offres=plain)
    assert "Gérer les salons" in refused.text and "Europe, Québec" in refused.text
    tags = ["Europe", "Québec", "Stage", "Emploi", "Remplacement", "Bénévolat", "Formation"]
    await world.edit_channel(plain, tags=[*tags, "Clôturée", "Pourvue"])
    accepted = await world.guild.slash(world.alice, "tableau config", offres=plain)
    assert "Le tableau" in accepted.text  # the tags made by hand are adopted


async def test_a_deleted_forum_keeps_posts_and_tells_moderators_once(world) -> None:
    mods = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
    offers, _ = await board(world)
    await world.delete_channel(offers)
    kept = await publish_offer(world, world.bob, title="Offre gardée")
    assert "gardée" in kept.text
    await publish_offer(world, world.bob, title="Deuxième offre")
    told = [m for m in mods.visible_messages() if "Le tableau" in m.text]
    assert len(told) == 1 and "n'existe plus" in told[0].text
    fresh = await forum(world, "offres-2")
    done = await world.guild.slash(world.alice, "tableau config", offres=fresh)
    assert "2 publications en attente viennent de paraître" in done.text
    assert {p.title for p in fresh.posts} == {"Offre gardée", "Deuxième offre"}


async def test_a_lost_answer_does_not_post_twice(world) -> None:
    offers, _ = await board(world)
    world.faults.lose_response(route=r"/channels/\d+/threads$")
    done = await publish_offer(world, world.bob, title="Une seule fois")
    assert "publiée" in done.text
    assert [p.title for p in offers.posts] == ["Une seule fois"]
    post_id = await world.bot.db.fetchval("SELECT thread_id FROM tableau_posts")
    assert post_id == offers.posts[0].id


async def test_a_crash_while_publishing_is_recovered_at_start_without_a_second_post(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob, title="Avant la panne")
    # as if the bot died right after creating the post, before writing it down
    await world.bot.db.execute(
        "UPDATE tableau_posts SET status = 'publishing', thread_id = NULL, claimed_at = ?",
        (to_ts(world.bot.clock.now()),),
    )
    await world.crash()
    assert [p.title for p in offers.posts] == ["Avant la panne"]
    row = await world.bot.db.fetchone("SELECT status, thread_id FROM tableau_posts")
    assert row["status"] == "live" and row["thread_id"] == offers.posts[0].id
    # and one that never reached Discord is published at start
    await world.bot.db.execute(
        "INSERT INTO tableau_posts (guild_id, kind, category, status, author_id, title, lang,"
        " created_at, claimed_at, updated_at) VALUES (?, 'offre', 'stage', 'publishing', ?,"
        " 'Jamais parue', 'fr', 0, 0, 0)",
        (world.guild.id, world.bob.id),
    )
    await world.restart()
    assert sorted(p.title for p in offers.posts) == ["Avant la panne", "Jamais parue"]


async def test_reports_reach_the_moderators_who_may_remove_the_post(world) -> None:
    mods = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=mods)
    offers, _ = await board(world)
    await publish_offer(world, world.bob, title="Offre douteuse")
    [post] = offers.posts
    form = await world.click(post.starter_message, "Signaler", by=world.carol)
    sent = await form.submit_modal({"reason": "Arnaque <@&1> @everyone"}, by=world.carol)
    assert "prévenue" in sent.text or "told" in sent.text
    again = await world.click(post.starter_message, "Signaler", by=world.carol)
    again_sent = await again.submit_modal({"reason": "encore"}, by=world.carol)
    assert "already" in again_sent.text
    [card] = [m for m in mods.visible_messages() if "signale" in m.text]
    assert "Offre douteuse" in card.text and "@\u200beveryone" in card.text
    assert card.allowed_mentions == {"parse": []}
    denied = await world.click(card, "Retirer la publication", by=world.bob)
    assert "modération" in denied.text and not post.deleted
    await world.click(card, "Retirer la publication", by=world.alice)
    assert post.deleted
    assert "retirée par" in card.text
    row = await world.bot.db.fetchval("SELECT status FROM tableau_posts")
    assert row == "removed"


async def test_the_moderators_channel_is_needed_to_report(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob)
    [post] = offers.posts
    refused = await world.click(post.starter_message, "Signaler", by=world.carol)
    assert refused.modal is None and "salon-moderation" in refused.text


async def test_missing_permission_in_the_forum_is_named(world) -> None:
    offers = await forum(world, "offres")
    bot_role = world.guild.role("Passerelle")
    deny = {"id": str(bot_role.id), "type": 0, "allow": str(P.MANAGE_CHANNELS)}
    await world.set_overwrites(offers, [{**deny, "deny": str(P.MANAGE_THREADS)}])
    refused = await world.guild.slash(world.alice, "tableau config", offres=offers)
    assert "Gérer les fils" in refused.text


async def test_aide_lists_the_board_for_members_and_moderators(world) -> None:
    member = await aide_pages(world, world.bob)
    for line in (
        "`/offre publier` — Publier une offre sur le tableau (un formulaire suit)",
        "`/offre chercher` — Chercher parmi les offres ouvertes",
        "`/nouvelle publier` — Partager une nouvelle d'une structure (un formulaire suit)",
        "`/alertes offres` — Choisir les offres qui vous intéressent",
        "`/alertes arreter` — Arrêter vos alertes",
    ):
        assert line in member, line
    assert "/tableau config" not in member
    moderator = await aide_pages(world, world.alice)
    assert "`/tableau config` — Forums du tableau" in moderator
    assert "`/tableau flux ajouter` — Suivre un flux RSS ou Atom" in moderator
    english = await aide_pages(world, world.carol)
    assert "`/offer search` — Search the open offers" in english
