"""What small groups look like on Discord: the question members answer, each group's thread,
the notices and the organiser's summary."""

from __future__ import annotations

from collections.abc import Mapping

from bot.discord_text import CONTENT_LIMIT, escape, fit_list, truncate
from bot.i18n import t, tn
from cogs.rencontres.groups.service import OTHER_CITY
from cogs.rencontres.groups.store import Declaration, Questions
from cogs.rencontres.render import mention
from cogs.rencontres.service import Format, Rencontre

THREAD_NAME_MAX = 100
SUMMARY_LINE_MAX = 300


def thread_name(event: Rencontre, number: int, lang: str) -> str:
    return truncate(
        t("rencontre.groups.thread", lang, number=number, title=event.title), THREAD_NAME_MAX
    )


def questions_text(questions: Questions, lang: str) -> str:
    """« présentiel ou visio, ville (Lyon, Montréal), France ou Québec »."""
    asked = []
    if questions.ask_mode:
        asked.append(t("rencontre.groups.asked.mode", lang))
    if questions.cities:
        asked.append(t("rencontre.groups.asked.city", lang, cities=", ".join(questions.cities)))
    if questions.ask_region:
        asked.append(t("rencontre.groups.asked.region", lang))
    return ", ".join(asked) or t("rencontre.groups.asked.nothing", lang)


def asked_notice(event: Rencontre, questions: Questions, lang: str) -> str:
    """In the meet-up's thread: members may say how they come, where from."""
    return t(
        "rencontre.groups.ask_notice",
        lang,
        title=escape(event.title),
        asked=questions_text(questions, lang),
    )


def asked_done(event: Rencontre, questions: Questions, lang: str) -> str:
    return t(
        "rencontre.groups.ask_done",
        lang,
        title=escape(event.title),
        asked=questions_text(questions, lang),
    )


def declaration_text(declaration: Declaration, lang: str) -> str:
    parts = []
    if declaration.mode:
        parts.append(t(f"rencontre.format.{declaration.mode}", lang))
    if declaration.city == OTHER_CITY:
        parts.append(t("rencontre.groups.city.other", lang))
    elif declaration.city:
        parts.append(escape(declaration.city))
    if declaration.region:
        parts.append(t(f"rencontre.groups.region.{declaration.region}", lang))
    return ", ".join(parts) or t("rencontre.groups.declared.nothing", lang)


def declared(event: Rencontre, declaration: Declaration, lang: str) -> str:
    return t(
        "rencontre.groups.declared",
        lang,
        title=escape(event.title),
        what=declaration_text(declaration, lang),
    )


def declare_intro(event: Rencontre, lang: str) -> str:
    return t("rencontre.groups.declare_intro", lang, title=escape(event.title))


def welcome(event: Rencontre, number: int, members: list[int], joined: list[int], lang: str) -> str:
    """In a group's private thread: its members, the newcomers pinged."""
    everyone = fit_list([mention(u) for u in members], 1200, "+{n}", sep=" ")
    key = "rencontre.groups.welcome" if joined == members else "rencontre.groups.welcome_more"
    text = t(
        key,
        lang,
        number=number,
        title=escape(event.title),
        members=everyone,
        newcomers=fit_list([mention(u) for u in joined], 600, "+{n}", sep=" "),
    )
    return truncate(text, CONTENT_LIMIT)


def dissolved(event: Rencontre, number: int, lang: str) -> str:
    return t("rencontre.groups.dissolved", lang, number=number, title=escape(event.title))


def formed_notice(event: Rencontre, group_sizes: list[int], lang: str) -> str:
    """In the meet-up's thread, naming nobody: each member was told in their group's thread."""
    return tn(
        "rencontre.groups.formed",
        len(group_sizes),
        lang,
        title=escape(event.title),
        low=min(group_sizes),
        high=max(group_sizes),
    )


def summary(
    event: Rencontre,
    groups: Mapping[int, list[int]],
    moved: int,
    newcomers: int,
    lang: str,
    rerun: bool,
) -> str:
    """To the organiser: each group and its members (no one pinged)."""
    lines = [
        truncate(
            t(
                "rencontre.groups.summary_line",
                lang,
                number=number,
                n=len(members),
                members=" ".join(mention(u) for u in members),
            ),
            SUMMARY_LINE_MAX,
        )
        for number, members in groups.items()
    ]
    head = tn("rencontre.groups.summary", len(groups), lang, title=escape(event.title))
    if rerun:
        head += " " + t("rencontre.groups.summary_moves", lang, moved=moved, newcomers=newcomers)
    return truncate("\n".join([head, *lines]), CONTENT_LIMIT)


def mode_label(mode: Format, lang: str) -> str:
    return t(f"rencontre.format.{mode}", lang)
