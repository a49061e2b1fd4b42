"""What Le tableau looks like on Discord: posts, searches, alerts, digests, the moderators'
screens. Every text a member wrote is escaped (no markdown tricks, no mentions)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

import discord

from bot.discord_text import (
    CONTENT_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_TITLE_LIMIT,
    escape,
    truncate,
    ts,
)
from bot.i18n import format_clock, format_day, t, tn
from bot.reference import places, professions
from bot.reference.places import country_name
from cogs.tableau.service import (
    BoardConfig,
    Post,
    PostKind,
    Side,
    Status,
    post_name,
)
from cogs.tableau.service.digest import Block, Line, blocks, messages
from cogs.tableau.service.feeds import Feed

COLOURS = {
    PostKind.OFFER: discord.Colour.blue(),
    PostKind.NEWS: discord.Colour.gold(),
}
CLOSED_COLOUR = discord.Colour.dark_grey()
DIGEST_LINES_DM = 25  # posts listed in a daily alert digest; the rest are counted
SEARCH_LINE_MAX = 300
OTHER_GROUP = "~"  # sorts after every country name


def jump(guild_id: int, thread_id: int | None) -> str:
    return f"https://discord.com/channels/{guild_id}/{thread_id}" if thread_id else ""


def post_jump(post: Post) -> str:
    return jump(post.guild_id, post.thread_id)


def category_name(category: str, lang: str) -> str:
    return t(f"tableau.category.{category}", lang)


def tag_name(key: str, lang: str) -> str:
    """A forum tag's name (Discord: 20 characters at most)."""
    return t(f"tableau.tag.{key.replace(':', '.')}", lang)[:20]


def place_label(post_or_code: Post | str | None, lang: str, country: str | None = None) -> str:
    """« Montréal (06), Québec », « France », or "" when the post has no place."""
    if isinstance(post_or_code, Post):
        code, country = post_or_code.place_code, post_or_code.country
    else:
        code = post_or_code
    place = places.get(code)
    if place is not None:
        return f"{place.label}, {country_name(place.country, lang)}"
    return country_name(country, lang) if country else ""


def profession_names(codes: Sequence[str], lang: str) -> str:
    named = [professions.get(c) for c in codes]
    return ", ".join(p.name_in(lang) for p in named if p is not None)


def title_for(post: Post, lang: str) -> str:
    """The forum post's name in its state (« [Clôturée] … »)."""
    return post_name(
        post.title,
        post.status,
        {
            Status.CLOSED: t("tableau.prefix.closed", lang),
            Status.FILLED: t("tableau.prefix.filled", lang),
        },
    )


def post_embed(post: Post, lang: str, *, feed_title: str | None = None) -> discord.Embed:
    """The post's starter message: what it is, where, for whom, until when, and who posted it."""
    closed = post.status in (Status.CLOSED, Status.FILLED, Status.REMOVED)
    embed = discord.Embed(
        title=truncate(escape(post.title), EMBED_TITLE_LIMIT),
        description=truncate(escape(post.description), EMBED_DESCRIPTION_LIMIT) or None,
        colour=CLOSED_COLOUR if closed else COLOURS[post.kind],
    )
    if post.link:
        embed.url = post.link
    embed.add_field(
        name=t("tableau.field.category", lang), value=category_name(post.category, lang)
    )
    if post.structure:
        value = truncate(escape(post.structure), EMBED_FIELD_VALUE_LIMIT)
        embed.add_field(name=t("tableau.field.structure", lang), value=value)
    where = ", ".join(p for p in (escape(post.city), place_label(post, lang)) if p)
    if where:
        embed.add_field(name=t("tableau.field.place", lang), value=truncate(where, 1024))
    if post.professions:
        names = truncate(profession_names(post.professions, lang), EMBED_FIELD_VALUE_LIMIT)
        embed.add_field(name=t("tableau.field.professions", lang), value=names, inline=False)
    if post.is_offer and post.closes_at is not None:
        value = (
            format_day(post.deadline, lang, weekday=True)
            if post.deadline
            else t("tableau.no_deadline", lang, when=ts(post.closes_at, "D"))
        )
        embed.add_field(name=t("tableau.field.deadline", lang), value=value)
    if post.link:
        embed.add_field(
            name=t("tableau.field.link", lang), value=truncate(post.link, 1024), inline=False
        )
    if feed_title is not None:
        embed.set_author(name=truncate(t("tableau.source", lang, source=feed_title), 256))
    elif post.author_id is not None:
        embed.add_field(
            name=t("tableau.field.author", lang), value=f"<@{post.author_id}>", inline=False
        )
    state = {
        Status.CLOSED: "tableau.state_line.closed",
        Status.FILLED: "tableau.state_line.filled",
    }.get(post.status)
    if state:
        embed.set_footer(text=t(state, lang))
    return embed


# -- answers to members --------------------------------------------------------------------------
def published(post: Post, lang: str) -> str:
    return t(f"tableau.published.{post.kind}", lang, link=post_jump(post))


def search_line(post: Post, lang: str) -> str:
    where = place_label(post, lang)
    deadline = (
        t("tableau.search.until", lang, day=format_day(post.deadline, lang, weekday=False))
        if post.deadline
        else ""
    )
    parts = [
        f"[{escape(post.title)}]({post_jump(post)})",
        category_name(post.category, lang),
        escape(post.structure),
        where,
        deadline,
    ]
    return truncate("• " + " · ".join(p for p in parts if p), SEARCH_LINE_MAX)


def search_embed(
    posts: Sequence[Post], total: int, page: int, pages: int, lang: str
) -> discord.Embed:
    if not posts:
        return discord.Embed(
            title=t("tableau.search.title", lang), description=t("tableau.search.none", lang)
        )
    embed = discord.Embed(
        title=t("tableau.search.title", lang),
        description=truncate("\n".join(search_line(p, lang) for p in posts), 4000),
        colour=COLOURS[PostKind.OFFER],
    )
    embed.set_footer(text=tn("tableau.search.footer", total, lang, page=page + 1, pages=pages))
    return embed


def alert_now(post: Post, lang: str) -> tuple[str, discord.Embed]:
    text = t(f"tableau.alert.now.{post.kind}", lang, link=post_jump(post))
    return truncate(text, CONTENT_LIMIT), post_embed(post, lang)


def alert_digest(posts: Sequence[Post], kind: PostKind, lang: str) -> tuple[str, discord.Embed]:
    shown = posts[:DIGEST_LINES_DM]
    lines = [search_line(p, lang) for p in shown]
    if len(posts) > len(shown):
        lines.append(tn("tableau.alert.more", len(posts) - len(shown), lang))
    embed = discord.Embed(
        title=tn(f"tableau.alert.digest_title.{kind}", len(posts), lang),
        description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT),
        colour=COLOURS[kind],
    )
    return t("tableau.alert.digest_intro", lang), embed


# -- the weekly digest ---------------------------------------------------------------------------
def weekly_parts(
    news: Sequence[Post], start: date, end: date, lang: str
) -> list[tuple[str, list[discord.Embed]]]:
    """« Les nouvelles de la semaine »: a heading, then the news grouped by country and place,
    split across as many messages as Discord's limits need."""

    def group(post: Post) -> str:
        return country_name(post.country, lang) if post.country else OTHER_GROUP

    ordered = sorted(news, key=lambda p: (group(p), place_label(p.place_code, lang), p.id))
    lines = []
    for post in ordered:
        place = places.get(post.place_code)
        line = f"• [{escape(post.title)}]({post_jump(post)}) · {category_name(post.category, lang)}"
        if post.city:
            line += f" · {escape(post.city)}"
        name = group(post)
        lines.append(
            Line(
                t("tableau.weekly.elsewhere", lang) if name == OTHER_GROUP else name,
                place.label if place else "",
                line,
            )
        )
    heading = truncate(
        tn(
            "tableau.weekly.heading",
            len(news),
            lang,
            start=format_day(start, lang, weekday=False),
            end=format_day(end, lang, weekday=False),
        ),
        CONTENT_LIMIT,
    )
    if not news:
        return [(t("tableau.weekly.empty", lang, heading=heading), [])]
    packed = messages(
        blocks(lines, continued=t("tableau.weekly.continued", lang)), heading_size=len(heading)
    )
    return [
        (heading if index == 0 else "", [_embed(b) for b in part])
        for index, part in enumerate(packed)
    ]


def _embed(block: Block) -> discord.Embed:
    return discord.Embed(
        title=block.title, description=block.description, colour=COLOURS[PostKind.NEWS]
    )


# -- moderators ----------------------------------------------------------------------------------
def config_summary(config: BoardConfig, lang: str, zone: ZoneInfo) -> str:
    def channel(channel_id: int | None) -> str:
        return f"<#{channel_id}>" if channel_id else t("tableau.config.none", lang)

    minutes = config.digest_minute
    at = datetime(2000, 1, 1, minutes // 60, minutes % 60).time()
    digest = (
        t(
            "tableau.config.digest",
            lang,
            channel=channel(config.digest_channel_id),
            weekday=t(f"weekday.{config.digest_weekday}", lang),
            time=format_clock(at, lang),
            zone=zone.key,
        )
        if config.digest_channel_id
        else t("tableau.config.no_digest", lang)
    )
    return t(
        "tableau.config.summary",
        lang,
        offers=channel(config.offers_forum_id),
        news=channel(config.news_forum_id),
        approval=t(f"tableau.config.approval.{int(config.approval)}", lang),
        digest=digest,
    )


def feed_problem(problem: str, lang: str) -> str:
    """Why a feed could not be read, in words (`problem` is a FetchProblem or ReadError value)."""
    return t(f"tableau.feed.problem.{problem}", lang)


def feed_list(feeds: Sequence[Feed], lang: str) -> discord.Embed:
    lines = []
    for feed in feeds:
        state = (
            t(
                "tableau.feed.state.failing",
                lang,
                n=feed.failures,
                error=feed_problem(feed.last_error or "internal", lang),
            )
            if feed.failures
            else t("tableau.feed.state.ok", lang)
        )
        where = place_label(feed.place_code, lang, feed.country)
        lines.append(
            f"**#{feed.id}** {escape(feed.title)} — <{feed.url}>"
            + (f" · {where}" if where else "")
            + f"\n   {state}"
        )
    return discord.Embed(
        title=t("tableau.feed.list_title", lang),
        description=truncate("\n".join(lines), EMBED_DESCRIPTION_LIMIT)
        or t("tableau.feed.none", lang),
    )


def report_card(post: Post, reporter_id: int, reason: str, lang: str) -> str:
    return truncate(
        t(
            "tableau.report.card",
            lang,
            reporter=f"<@{reporter_id}>",
            title=escape(post.title),
            link=post_jump(post),
            reason=escape(reason) or t("tableau.report.no_reason", lang),
        ),
        CONTENT_LIMIT,
    )


def side_name(side: Side | None, lang: str) -> str:
    return t(f"tableau.side.{side}", lang) if side else ""
