"""The sigle of the week (issue 7): `/glossaire semaine`, the weekly posts through the engine,
across DST and restarts, stopping, refusals, and a channel that disappears.

The clock starts on Monday 2 March 2026, 09:00 UTC; the test server's zone is Europe/Paris
(UTC+1, UTC+2 from Sunday 29 March). Expected instants are written from those offsets.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apero_support import advance_to, rows
from discord_server import Harness
from discord_server import permissions as P
from discord_server.world import Channel, Message

from bot.i18n import t
from cogs.sigles import rotation
from cogs.sigles.glossary import Entry
from cogs.sigles.service import ident

SUNDAYS_9H_PARIS = [  # 9:00 CET, then 9:00 CEST on the day Paris changes
    datetime(2026, 3, 8, 8, tzinfo=UTC),
    datetime(2026, 3, 15, 8, tzinfo=UTC),
    datetime(2026, 3, 22, 8, tzinfo=UTC),
    datetime(2026, 3, 29, 7, tzinfo=UTC),
]
NOTHING = (
    "SELECT (SELECT COUNT(*) FROM sigles_semaine)"
    " + (SELECT COUNT(*) FROM reminder_items WHERE kind = 'sigles.semaine')"
)


def posts(channel: Channel) -> list[Message]:
    return [m for m in channel.visible_messages() if m.author.bot and m.embeds]


def sigle_of(message: Message) -> str:
    title = str(message.embeds[0]["title"])
    assert title.startswith("Sigle de la semaine : "), title
    return title.removeprefix("Sigle de la semaine : ")


async def start(world: Harness, channel: Channel, jour: str = "dimanche", heure: str = "9h"):
    return await world.guild.slash(
        world.alice, "glossaire semaine", salon=channel, jour=jour, heure=heure
    )


async def expect_post(world: Harness, channel: Channel, due: datetime) -> Message:
    """Nothing a minute before `due`; at `due`, exactly one new post."""
    before = len(posts(channel))
    await advance_to(world, due - timedelta(minutes=1))
    assert len(posts(channel)) == before, f"posted before {due}"
    await advance_to(world, due)
    assert len(posts(channel)) == before + 1, f"nothing posted at {due}"
    return posts(channel)[-1]


async def test_weekly_posts_at_the_right_instants_across_dst_and_restarts(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    reply = await start(world, annonces)
    first = SUNDAYS_9H_PARIS[0]
    assert reply.ephemeral and f"<t:{int(first.timestamp())}:F>" in reply.text
    assert "dimanche à 09:00 (Europe/Paris)" in reply.text and annonces.mention in reply.text
    assert "Rotation" in reply.text and "aucun ne revient" in reply.text
    shown = []
    for due in SUNDAYS_9H_PARIS:
        post = await expect_post(world, annonces, due)
        shown.append(post)
        await world.restart()  # nothing twice after a restart, on the day or later in the week
        await advance_to(world, due + timedelta(hours=3))
        await world.crash()
        await advance_to(world, due + timedelta(days=1))
        assert len(posts(annonces)) == len(shown)
    sigles = [sigle_of(m) for m in shown]
    assert len(set(sigles)) == len(sigles), sigles
    # Regions alternate: France, Québec, Belgique, Suisse.
    flags = ["🇫🇷 France", "⚜️ Québec", "🇧🇪 Belgique", "🇨🇭 Suisse"]
    for post, flag in zip(shown, flags, strict=True):
        assert flag in post.text, post.text
        assert "/sigle" in post.text and "Source" in post.text
        assert post.allowed_mentions is not None and not post.allowed_mentions.get("parse")
    # The ledger agrees: one delivery per occurrence. The engine keeps deliveries two weeks
    # (bot.reminders.policy.Retention): the last two Sundays are still there.
    ledger = await world.bot.db.fetchall(
        "SELECT occurrence, COUNT(*) AS n FROM reminder_ledger WHERE kind = 'sigles.semaine'"
        " GROUP BY occurrence"
    )
    assert [r["n"] for r in ledger] == [1, 1]
    assert await rows(world, "SELECT COUNT(DISTINCT ident) FROM sigles_semaine_shown") == 4


async def test_a_server_entry_added_meanwhile_can_be_the_next_sigle(world: Harness) -> None:
    """The sigle is chosen when posting, over what the server has at that moment."""
    annonces = world.guild.channel("annonces")
    await start(world, annonces)
    await expect_post(world, annonces, SUNDAYS_9H_PARIS[0])  # France
    await expect_post(world, annonces, SUNDAYS_9H_PARIS[1])  # Québec; Belgique comes next
    flows = world.bot.get_cog("SiglesCog").flows
    guild_id = world.guild.id
    history = await flows.store.shown_this_round(guild_id, "")
    entries = rotation.pool((await flows.libraries.get(guild_id)).glossary.entries)
    belgian = min(rotation.rank(guild_id, e) for e in entries if e.region == "BE")
    fields = {
        "region": "BE",
        "domaine": "institutions",
        "explication": "Un dispositif propre à ce serveur.",
        "source": "https://example.org/local",
    }
    # A server entry that will rank first among the Belgian ones (found offline, added once).
    candidates = (
        Entry(sigle=f"ZZ{n}", developpe=f"Dispositif local {n}", **fields) for n in range(10_000)
    )
    local = next(e for e in candidates if rotation.rank(guild_id, e) < belgian)
    before = rotation.choose(entries, guild_id, history)
    assert before is not None and before.entry.region == "BE" and before.entry != local
    added = await world.guild.slash(
        world.alice, "glossaire ajouter", sigle=local.sigle, developpe=local.developpe, **fields
    )
    assert local.sigle in added.text
    post = await expect_post(world, annonces, SUNDAYS_9H_PARIS[2])
    assert sigle_of(post) == local.sigle and "ajouté par ce serveur" in post.text
    last = "SELECT ident FROM sigles_semaine_shown ORDER BY occurrence DESC LIMIT 1"
    assert await world.bot.db.fetchval(last) == ident(local)


async def test_stopping_and_starting_again(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    await start(world, annonces)
    await expect_post(world, annonces, SUNDAYS_9H_PARIS[0])
    stopped = await world.guild.slash(world.alice, "glossaire semaine-arreter")
    assert stopped.ephemeral and "arrêté" in stopped.text
    await advance_to(world, SUNDAYS_9H_PARIS[2] + timedelta(hours=1))
    assert len(posts(annonces)) == 1
    assert await rows(world, NOTHING) == 0
    again = await world.guild.slash(world.carol, "glossaire semaine-arreter")
    assert again.text == t("errors.not_moderator", "en")
    role = world.guild.role("Modération")
    await world.guild.slash(world.alice, "config role-moderation", role=role)
    await world.guild.set_roles(world.carol, [role])
    again = await world.guild.slash(world.carol, "glossaire semaine-arreter")
    assert again.text == t("sigles.semaine.not_started", "en")
    # Started again: the rotation goes on, no sigle comes back.
    await start(world, annonces)
    post = await expect_post(world, annonces, SUNDAYS_9H_PARIS[3])
    assert sigle_of(post) != sigle_of(posts(annonces)[0])


async def test_refusals_write_nothing(world: Harness) -> None:
    annonces = world.guild.channel("annonces")
    values = {"salon": annonces, "jour": "dimanche", "heure": "9h"}
    french = await world.guild.slash(world.bob, "glossaire semaine", **values)
    assert french.ephemeral and french.text == t("errors.not_moderator", "fr")
    english = await world.guild.slash(world.carol, "glossaire semaine", **values)
    assert english.ephemeral and english.text == t("errors.not_moderator", "en")
    bad = await world.guild.slash(world.alice, "glossaire semaine", **values | {"heure": "25h"})
    assert bad.ephemeral and "25h" in bad.text and "Heure incomprise" in bad.text
    bot_role = world.guild.role("Passerelle")
    for denied, named in ((P.SEND_MESSAGES, "Envoyer des messages"), (P.EMBED_LINKS, "Intégrer")):
        closed = await world.add_channel(
            f"ferme-{denied}",
            overwrites=[{"id": str(bot_role.id), "type": 0, "allow": "0", "deny": str(denied)}],
        )
        reply = await world.guild.slash(
            world.alice, "glossaire semaine", **values | {"salon": closed}
        )
        assert reply.ephemeral and named in reply.text and closed.mention in reply.text
    assert await rows(world, NOTHING) == 0
    await advance_to(world, SUNDAYS_9H_PARIS[1])
    assert not any(m.author.bot for c in world.guild.channels for m in c.visible_messages())


async def test_deleted_channel_pauses_and_moderators_are_told_once(world: Harness) -> None:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    doomed = await world.add_channel("sigles")
    await start(world, doomed)
    await world.delete_channel(doomed)
    await advance_to(world, SUNDAYS_9H_PARIS[0])
    told = [m for m in moderation.visible_messages() if doomed.mention in m.text]
    assert len(told) == 1 and "supprimé" in told[0].text
    paused = "SELECT paused FROM sigles_semaine"
    assert await world.bot.db.fetchval(paused) == "failure:unknown_channel"
    sends = len(world.requests_to("POST", rf"^/channels/{doomed.id}/messages$"))
    await advance_to(world, SUNDAYS_9H_PARIS[2] + timedelta(hours=1))  # two more weeks
    assert len(world.requests_to("POST", rf"^/channels/{doomed.id}/messages$")) == sends
    assert len([m for m in moderation.visible_messages() if doomed.mention in m.text]) == 1
    # A moderator points it at another channel: it resumes.
    annonces = world.guild.channel("annonces")
    resumed = await start(world, annonces)
    assert "Prochaine publication" in resumed.text
    await expect_post(world, annonces, SUNDAYS_9H_PARIS[3])
    assert await world.bot.db.fetchval(paused) is None


async def test_lost_permission_pauses_and_moderators_are_told_once(world: Harness) -> None:
    moderation = await world.add_channel("moderation")
    await world.guild.slash(world.alice, "config salon-moderation", salon=moderation)
    annonces = world.guild.channel("annonces")
    await start(world, annonces)
    bot_role = world.guild.role("Passerelle")
    deny = [{"id": str(bot_role.id), "type": 0, "allow": "0", "deny": str(P.SEND_MESSAGES)}]
    await world.set_overwrites(annonces, deny)
    await advance_to(world, SUNDAYS_9H_PARIS[1] + timedelta(hours=1))
    assert posts(annonces) == []
    told = [m for m in moderation.visible_messages() if annonces.mention in m.text]
    assert len(told) == 1 and "permission" in told[0].text
    paused = "SELECT paused FROM sigles_semaine"
    assert await world.bot.db.fetchval(paused) == "failure:missing_permissions"
    # Still broken: starting again is refused, naming the permission.
    refused = await start(world, annonces)
    assert "Envoyer des messages" in refused.text
    await world.set_overwrites(annonces, [])
    await start(world, annonces)
    await expect_post(world, annonces, SUNDAYS_9H_PARIS[2])
