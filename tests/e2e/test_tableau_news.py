"""Le tableau through the loopback Discord: news and the guard, approval by the moderators,
private alerts (at once, daily, closed DMs), the weekly digest across a change of time, and
/mes-donnees."""

from __future__ import annotations

from datetime import UTC, datetime

from tableau_support import board, publish_news, publish_offer

ALERT = {"categories": [], "countries": [], "places": "", "professions": "", "rhythm": ["now"]}


async def advance_to(world, when: datetime) -> None:  # type: ignore[no-untyped-def]
    await world.advance(seconds=(when - world.bot.clock.now()).total_seconds())


async def set_alert(world, user, kind: str = "offres", **choices) -> str:  # type: ignore[no-untyped-def]
    form = await world.guild.slash(user, f"alertes {kind}")
    assert form.modal is not None, form.text
    values = {**ALERT, **choices}
    if kind == "nouvelles":
        values.pop("professions")
    saved = await form.submit_modal(values, by=user)
    assert saved.ephemeral
    return saved.text


async def test_news_is_posted_with_a_title_made_of_its_kind_and_structure(world) -> None:
    _, news = await board(world)
    done = await publish_news(world, world.bob, type="fermeture", lieu="QC-06")
    assert "publiée" in done.text
    [post] = news.posts
    assert post.title == "Fermeture — CHRS La Caravelle"
    assert set(post.tags) == {"Québec", "Fermeture"}
    assert [b["label"] for b in post.starter_message.buttons()] == ["Modifier", "Signaler"]


async def test_the_guard_asks_before_news_that_names_a_person(world) -> None:
    _, news = await board(world)
    text = "Le foyer ferme après le départ de Mme Dupont, suivie depuis 2019 par l'équipe."
    asked = await publish_news(world, world.bob, description=text)
    assert "nom" in asked.text and news.posts == []
    cancelled = await asked.click("Annuler", by=world.bob)
    assert "Rien n'a été publié" in cancelled.text and news.posts == []
    asked = await publish_news(world, world.bob, description=text)
    await asked.click("Publier quand même", by=world.bob)
    assert len(news.posts) == 1
    structure_contacts = "Ouverture : accueil au 01 23 45 67 89, contact@chrs.example.org."
    plain = await publish_news(world, world.bob, description=structure_contacts)
    assert "publiée" in plain.text  # a structure's contacts are not a person's


async def test_approval_then_the_author_is_told_by_dm(world) -> None:
    offers, _ = await board(world, approval=True)
    mods = world.guild.channel("moderation")
    waiting = await publish_offer(world, world.bob, title="À valider")
    assert "attend la validation" in waiting.text and offers.posts == []
    [card] = [m for m in mods.visible_messages() if "À valider" in m.text]
    assert [b["label"] for b in card.buttons()] == ["Approuver", "Refuser"]
    denied = await world.click(card, "Approuver", by=world.carol)
    assert offers.posts == [] and denied.ephemeral
    await world.click(card, "Approuver", by=world.alice)
    [post] = offers.posts
    assert post.title == "À valider" and card.buttons() == [] and "Approuvée" in card.text
    [notice] = world.bob.dms
    assert "acceptée" in notice.text and str(post.id) in notice.text
    # moderators publish at once, approval or not
    await publish_offer(world, world.alice, title="De la modération")
    assert len(offers.posts) == 2


async def test_a_card_posted_before_a_restart_is_decided_after_it(world) -> None:
    offers, _ = await board(world, approval=True)
    mods = world.guild.channel("moderation")
    await publish_offer(world, world.bob, title="Avant la mise à jour")
    [card] = [m for m in mods.visible_messages() if "Avant la mise à jour" in m.text]
    request_id = await world.bot.db.fetchval("SELECT id FROM approvals")
    await world.restart()
    # By the custom_id every release posted (`approval:<id>:approve`).
    await world.click(card, f"approval:{request_id}:approve", by=world.alice)
    assert [post.title for post in offers.posts] == ["Avant la mise à jour"]
    assert "Approuvée" in card.text and card.buttons() == []


async def test_a_refusal_with_its_reason_and_closed_dms_told_at_the_next_command(world) -> None:
    offers, _ = await board(world, approval=True)
    mods = world.guild.channel("moderation")
    eve = await world.guild.add_member("eve", dms_open=False)
    await publish_offer(world, eve, title="Trop vague")
    [card] = [m for m in mods.visible_messages() if "Trop vague" in m.text]
    form = await world.click(card, "Refuser", by=world.alice)
    await form.submit_modal({"reason": "Merci de préciser le lieu et le salaire."}, by=world.alice)
    assert offers.posts == [] and "Refusée" in card.text and "préciser" in card.text
    assert eve.dms == []
    later = await world.guild.slash(eve, "aide")
    assert any("n'a pas été retenue" in f.text and "préciser" in f.text for f in later.followups)
    again = await world.guild.slash(eve, "aide")
    assert not any("retenue" in f.text for f in again.followups)  # told once
    status = await world.bot.db.fetchval("SELECT status FROM tableau_posts")
    assert status == "refused"


async def test_alerts_at_once_go_to_the_member_only(world) -> None:
    await board(world)
    saved = await set_alert(world, world.carol, categories=["stage"], countries=["QC"])
    assert "private" in saved
    await publish_offer(world, world.bob, lieu="QC-06", type="stage", title="Stage à Montréal")
    await publish_offer(world, world.bob, lieu="FR-29", type="stage", title="Stage à Brest")
    await publish_offer(world, world.bob, lieu="QC-06", type="emploi", title="Emploi")
    [alert] = world.carol.dms
    assert "Stage à Montréal" in alert.text
    assert world.bob.dms == [] and world.alice.dms == []
    await world.restart()  # nothing sent twice
    await world.advance(minutes=5)
    assert len(world.carol.dms) == 1


async def test_professions_alerts_follow_the_equivalents(world) -> None:
    await board(world)
    await set_alert(world, world.carol, professions="travailleur social")
    await publish_offer(world, world.bob, lieu="FR-75", profession="fr-ass", title="ASS à Paris")
    await publish_offer(world, world.bob, lieu="FR-75", profession="fr-eje", title="EJE")
    assert [m.text.count("ASS à Paris") > 0 for m in world.carol.dms] == [True]
    unknown = await world.guild.slash(world.carol, "alertes offres")
    refused = await unknown.submit_modal({**ALERT, "places": "Atlantide"}, by=world.carol)
    assert "Atlantide" in refused.text


async def test_a_daily_digest_at_eight_in_the_members_zone(world) -> None:
    await board(world)
    await world.guild.slash(world.bob, "rappels", fuseau="America/Montreal")
    await set_alert(world, world.bob, kind="nouvelles", rhythm=["daily"])
    await publish_news(world, world.carol, structure="CLSC A")
    await publish_news(world, world.carol, structure="CLSC B")
    assert world.bob.dms == []
    # 8:00 in Montréal on 2 March is 13:00 UTC (EST; it is 4:00 there when they post)
    await advance_to(world, datetime(2026, 3, 2, 12, 59, tzinfo=UTC))
    assert world.bob.dms == []
    await advance_to(world, datetime(2026, 3, 2, 13, 1, tzinfo=UTC))
    [digest] = world.bob.dms
    assert "CLSC A" in digest.text and "CLSC B" in digest.text and "2 nouvelles" in digest.text
    await world.advance(days=1)
    assert len(world.bob.dms) == 1  # nothing new: no empty digest
    await publish_news(world, world.carol, structure="CLSC C")
    await world.advance(days=2)  # the bot was down through the next 8:00: kept for the next day
    [_, kept] = world.bob.dms
    assert "CLSC C" in kept.text and "CLSC A" not in kept.text


async def test_closed_dms_are_told_at_the_next_command_never_in_public(world) -> None:
    await board(world)
    eve = await world.guild.add_member("eve", dms_open=False)
    await set_alert(world, eve)
    await publish_offer(world, world.bob, title="Offre 1")
    await publish_offer(world, world.bob, title="Offre 2")
    assert eve.dms == []
    public = [m for c in world.guild.channels for m in c.visible_messages() if "eve" in m.text]
    assert public == []
    told = await world.guild.slash(eve, "alertes voir")
    notes = [f.text for f in told.followups]
    assert len(notes) == 1 and "messages privés sont fermés" in notes[0]
    quiet = await world.guild.slash(eve, "alertes voir")
    assert quiet.followups == []


async def test_stopping_alerts(world) -> None:
    await board(world)
    await set_alert(world, world.carol)
    stopped = await world.guild.slash(world.carol, "alertes arreter", quoi="tout")
    assert "stopped" in stopped.text
    await publish_offer(world, world.bob)
    assert world.carol.dms == []
    shown = await world.guild.slash(world.carol, "alertes voir")
    assert "no alert" in shown.text


async def test_the_weekly_digest_across_the_change_of_time_exactly_once(world) -> None:
    annonces = world.guild.channel("annonces")
    await board(world, resume=annonces, resume_jour=5, resume_heure="12h")

    def digests() -> list:  # type: ignore[type-arg]
        return [m for m in annonces.visible_messages() if "nouvelles de la semaine" in m.text]

    await publish_news(world, world.bob, structure="Avant l'heure d'été", lieu="FR-35")
    # Saturday 7 March, 12:00 in Paris (CET) is 11:00 UTC
    await advance_to(world, datetime(2026, 3, 7, 10, 59, tzinfo=UTC))
    assert digests() == []
    await advance_to(world, datetime(2026, 3, 7, 11, 1, tzinfo=UTC))
    [first] = digests()
    assert "Avant l'heure d'été" in first.text and "Ille-et-Vilaine" in first.text
    await advance_to(world, datetime(2026, 3, 30, 9, tzinfo=UTC))  # clocks changed on the 29th
    await publish_news(world, world.bob, structure="Après l'heure d'été", lieu="QC-06")
    # Saturday 4 April, 12:00 in Paris (CEST) is 10:00 UTC
    await advance_to(world, datetime(2026, 4, 4, 9, 59, tzinfo=UTC))
    assert len(digests()) == 1
    await world.restart()
    await advance_to(world, datetime(2026, 4, 4, 10, 1, tzinfo=UTC))
    second = digests()[-1]
    assert len(digests()) == 2
    assert "Après l'heure d'été" in second.text and "Avant" not in second.text
    assert "Montréal" in second.text
    await world.restart()
    await world.advance(hours=1)
    assert len(digests()) == 2  # exactly once


async def test_a_week_of_many_news_is_split_within_discords_limits(world) -> None:
    annonces = world.guild.channel("annonces")
    await board(world, resume=annonces, resume_jour=0, resume_heure="9h")
    long = "Centre d'hébergement et de réinsertion sociale " * 2
    for i in range(45):
        await publish_news(world, world.bob, structure=f"{long}{i}", lieu=f"FR-{i + 21:02d}")
    await world.advance(days=7)
    parts = [m for m in annonces.visible_messages() if m.author.bot]
    assert len(parts) > 1
    assert "nouvelles de la semaine" in parts[0].text
    listed = sum(m.text.count("CHRS") + m.text.count(long.strip()[:20]) for m in parts)
    assert listed >= 45
    for message in parts:
        assert len(message.content) <= 2000 and len(message.embeds) <= 10
        total = sum(len(e.get("title", "")) + len(e.get("description", "")) for e in message.embeds)
        assert total <= 6000


async def test_mes_donnees_shows_and_erasure_anonymises_posts(world) -> None:
    offers, _ = await board(world)
    await publish_offer(world, world.bob, title="Offre de Bob")
    await set_alert(world, world.bob)
    [post] = offers.posts
    assert f"<@{world.bob.id}>" in post.starter_message.text
    shown = await world.guild.slash(world.bob, "mes-donnees")
    assert "1 publication sur le tableau" in shown.text and "1 alerte privée" in shown.text
    confirm = await shown.click("Tout effacer", by=world.bob)
    await confirm.click("Oui, tout effacer", by=world.bob)
    assert f"<@{world.bob.id}>" not in post.starter_message.text
    assert post.title == "Offre de Bob"  # the structure's offer stays for the others
    assert await world.bot.db.fetchval("SELECT COUNT(*) FROM tableau_alerts") == 0
    assert await world.bot.db.fetchval("SELECT author_id FROM tableau_posts") is None
    again = await world.guild.slash(world.bob, "mes-donnees")
    assert "tableau" not in again.text


async def test_two_moderators_approving_at_once_publish_once(world) -> None:
    offers, _ = await board(world, approval=True)
    mods = world.guild.channel("moderation")
    role = world.guild.role("Modération")
    await world.guild.slash(world.alice, "config role-moderation", role=role)
    dan = await world.guild.add_member("dan", roles=(role,))
    await publish_offer(world, world.bob, title="Deux clics")
    [card] = [m for m in mods.visible_messages() if "Deux clics" in m.text]
    replies = await world.click_together(card, "Approuver", by=[world.alice, dan])
    assert [p.title for p in offers.posts] == ["Deux clics"]
    assert any("déjà été approuvée" in r.text for r in replies), [r.text for r in replies]
    assert len(world.bob.dms) == 1


async def test_alerts_wait_for_the_approval_and_a_refused_post_alerts_nobody(world) -> None:
    offers, _ = await board(world, approval=True)
    mods = world.guild.channel("moderation")
    await set_alert(world, world.carol)
    await publish_offer(world, world.bob, title="Offre validée")
    await publish_offer(world, world.bob, title="Offre refusée")
    assert world.carol.dms == []  # nothing leaves before a moderator has said yes
    [accepted] = [m for m in mods.visible_messages() if "Offre validée" in m.text]
    [refused] = [m for m in mods.visible_messages() if "Offre refusée" in m.text]
    await world.click(accepted, "Approuver", by=world.alice)
    form = await world.click(refused, "Refuser", by=world.alice)
    await form.submit_modal({"reason": "Hors sujet."}, by=world.alice)
    [alert] = world.carol.dms
    assert "Offre validée" in alert.text and [p.title for p in offers.posts] == ["Offre validée"]
    await world.restart()
    await world.advance(hours=1)
    assert len(world.carol.dms) == 1
