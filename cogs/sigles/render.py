"""What members read: the answer embed, the suggestion card, within Discord's limits."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import discord

from bot.discord_text import (
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    escape,
    fit_list,
    truncate,
)
from bot.i18n import t
from cogs.sigles.glossary import Entry, Glossary, Relation
from cogs.sigles.service import Answer, Suggestion

FLAGS = {"FR": "🇫🇷", "QC": "⚜️", "BE": "🇧🇪", "CH": "🇨🇭"}
COLOUR = discord.Colour.teal()
# Room kept for the closing "… more" field and the footer.
_RESERVE = 400


def text_of(entry: Entry, value: str) -> str:
    """A server's entries were typed by members: no markdown tricks, no mention syntax."""
    return escape(value) if entry.origin == "guild" else value


def region_label(region: str, lang: str) -> str:
    return f"{FLAGS.get(region, '')} {t(f'region.{region}', lang)}".strip()


def _refs(glossary: Glossary, refs: tuple[str, ...], lang: str, *, long: bool) -> list[str]:
    out: list[str] = []
    for ref in refs:
        targets = glossary.resolve(ref)
        if not targets:
            continue
        target = targets[0]
        label = f"**{text_of(target, target.sigle)}** ({region_label(target.region, lang)})"
        if long:
            label += " — " + "; ".join(text_of(x, x.developpe) for x in targets)
        out.append(label)
    return out


# A difference is never cut shorter than this; below, the line gives the relation alone.
_MIN_DIFFERENCE = 40
# The two sides the glossary is about: their counterparts keep their difference first.
_MAIN_REGIONS = frozenset(("FR", "QC"))


@dataclass(frozen=True, slots=True)
class _Counterpart:
    head: str  # "• **DPJ** (⚜️ Québec) — Directeur de la protection de la jeunesse"
    relation: Relation | None
    difference: str
    main: bool  # France–Québec, the pairs a social worker who moves needs most

    def line(self, lang: str, room: int | None = None) -> str:
        """The full line, its difference cut to ``room`` characters, or (room 0) the relation
        alone."""
        if self.relation is None:
            return self.head
        difference = self.difference if room is None else truncate(self.difference, room)
        key = f"sigles.show.relation.{self.relation}"
        if room != 0 and difference:
            key += "_with"
        return f"{self.head} · {t(key, lang, difference=difference)}"


def _counterparts(entry: Entry, glossary: Glossary, lang: str) -> list[_Counterpart]:
    out = []
    for eq in entry.equivalents:
        targets = glossary.resolve(eq.ref)
        if not targets:
            continue
        target = targets[0]
        head = (
            f"• **{text_of(target, target.sigle)}** ({region_label(target.region, lang)}) — "
            f"{text_of(target, target.developpe)}"
        )
        main = {entry.region, target.region} == _MAIN_REGIONS
        out.append(_Counterpart(head, eq.relation, text_of(entry, eq.difference), main))
    return out


def _fit_counterparts(items: list[_Counterpart], lang: str, budget: int) -> str:
    """Every counterpart with its relation, within ``budget`` characters.

    When all the differences do not fit, those of the other regions (Belgium, Switzerland for a
    France–Québec entry) go first, then the France–Québec ones are shortened evenly; only if
    even the relations alone do not fit are the last counterparts counted instead of shown.
    """

    def joined(rooms: list[int | None]) -> str:
        return "\n".join(item.line(lang, room) for item, room in zip(items, rooms, strict=True))

    if not items:
        return ""
    full = joined([None] * len(items))
    if len(full) <= budget:
        return full
    keep = [None if item.main else 0 for item in items]
    if len(joined(keep)) <= budget:
        return joined(keep)
    bare = joined([0] * len(items))
    shortened = [item for item in items if item.main and item.difference]
    if shortened:
        room = (budget - len(bare)) // len(shortened) - 3  # " : " before each difference
        if room >= _MIN_DIFFERENCE:
            return joined([room if item in shortened else 0 for item in items])
    if len(bare) <= budget:
        return bare
    lines = [item.line(lang, 0) for item in items]
    return fit_list(lines, budget, t("sigles.show.more_counterparts", lang), sep="\n")


def _past_lines(entry: Entry, glossary: Glossary, lang: str) -> list[str]:
    """« Ancien nom ; aujourd'hui : … » on a past name, « Anciennement : … » on its successor
    (« Succède à : … » when the successor took over several bodies or a part of one)."""
    lines = []
    if entry.historique:
        replaced = _refs(glossary, entry.remplace_par, lang, long=False)
        key = "sigles.show.replaced_by" if replaced else "sigles.show.historical"
        lines.append(t(key, lang, names=", ".join(replaced)))
    renamed, taken_over = [], []
    for ref in entry.remplace:
        for former in glossary.resolve(ref)[:1]:
            sole = [e for r in former.remplace_par for e in glossary.resolve(r)] == [entry]
            (renamed if sole else taken_over).append(ref)
    for key, refs in (("sigles.show.formerly", renamed), ("sigles.show.succeeds", taken_over)):
        names = _refs(glossary, tuple(refs), lang, long=False)
        if names:
            lines.append(t(key, lang, names=", ".join(names)))
    return lines


def entry_value(
    entry: Entry, glossary: Glossary, lang: str, contributor_id: int | None = None
) -> str:
    lines = [text_of(entry, entry.explication), *_past_lines(entry, glossary, lang)]
    counterparts = _counterparts(entry, glossary, lang)
    tail: list[str] = []
    if counterparts and entry.equivalence_note:
        tail.append(f"*{text_of(entry, entry.equivalence_note)}*")
    see_also = _refs(glossary, entry.voir_aussi, lang, long=False)
    if see_also:
        tail.append(t("sigles.show.see_also", lang, names=", ".join(see_also)))
    if entry.origin == "guild":
        key = "sigles.show.server_credited" if contributor_id else "sigles.show.server_entry"
        tail.append(t(key, lang, member=f"<@{contributor_id}>"))
    source = f"[{t('sigles.show.source', lang)}](<{entry.source}>)"
    room = EMBED_FIELD_VALUE_LIMIT - len(source) - 1
    if counterparts:
        header = t("sigles.show.counterparts", lang)
        # what a reader moving across needs most: the counterparts get the room left once the
        # explanation and the short lines are in (the explanation is cut only if it must be)
        others = len("\n".join([*lines, *tail])) + 1 + len(header) + 1
        budget = max(room - others, _MIN_DIFFERENCE * 2)
        lines.append(header + "\n" + _fit_counterparts(counterparts, lang, budget))
    body = "\n".join([*lines, *tail])
    # The source link goes last and is never cut in half.
    return truncate(body, room) + "\n" + source


def answer_embed(
    answer: Answer,
    glossary: Glossary,
    lang: str,
    credits: Mapping[tuple[str, str, str], int | None],
) -> discord.Embed:
    if answer.kind == "reverse":
        return reverse_embed(answer, lang)
    sigles = list(dict.fromkeys(text_of(e, e.sigle) for e in answer.entries))
    title = " / ".join(sigles)
    embed = discord.Embed(title=truncate(title, EMBED_TITLE_LIMIT), colour=COLOUR)
    if len(answer.entries) > 1:
        embed.description = t("sigles.show.meanings", lang, n=len(answer.entries))
    for shown, entry in enumerate(answer.entries):
        name = f"{region_label(entry.region, lang)} — {text_of(entry, entry.developpe)}"
        value = entry_value(entry, glossary, lang, credits.get(entry.identity))
        name = truncate(name, EMBED_FIELD_NAME_LIMIT)
        too_big = len(embed) + len(name) + len(value) > EMBED_TOTAL_LIMIT - _RESERVE
        if shown == EMBED_FIELDS_MAX - 1 or too_big:
            left = len(answer.entries) - shown
            embed.add_field(name="…", value=t("sigles.show.more", lang, n=left), inline=False)
            break
        embed.add_field(name=name, value=value, inline=False)
    return embed


def reverse_embed(answer: Answer, lang: str) -> discord.Embed:
    lines = [
        f"**{text_of(e, e.sigle)}** {FLAGS.get(e.region, '')} {e.region} — "
        f"{text_of(e, e.developpe)}"
        for e in answer.entries
    ]
    return discord.Embed(
        title=truncate(t("sigles.reverse.title", lang, query=answer.query), EMBED_TITLE_LIMIT),
        description=truncate("\n".join(lines), 4000) + "\n\n" + t("sigles.reverse.hint", lang),
        colour=COLOUR,
    )


def not_found_text(answer: Answer, lang: str, *, can_propose: bool) -> str:
    text = t("sigles.not_found", lang, query=escape(answer.query))
    if answer.did_you_mean:
        names = fit_list([f"**{s}**" for s in answer.did_you_mean], 300, "+{n}")
        text += "\n" + t("sigles.did_you_mean", lang, names=names)
    if can_propose:
        text += "\n" + t("sigles.propose.hint", lang)
    return truncate(text, 2000)


def suggestion_embed(s: Suggestion, lang: str, *, status_line: str | None = None) -> discord.Embed:
    """The moderators' card: every text the member wrote is escaped (never pings, no markdown)."""
    embed = discord.Embed(
        title=truncate(t("sigles.suggestion.title", lang, sigle=escape(s.sigle)), 256),
        colour=COLOUR if s.status == "pending" else discord.Colour.dark_grey(),
    )
    rows = {
        "sigles.suggestion.field.region": region_label(s.region, lang),
        "sigles.suggestion.field.domaine": t(f"sigles.domaine.{s.domaine}", lang),
        "sigles.suggestion.field.developpe": escape(s.developpe),
        "sigles.suggestion.field.explication": escape(s.explication),
        "sigles.suggestion.field.source": s.source or t("sigles.suggestion.no_source", lang),
        "sigles.suggestion.field.author": f"<@{s.author_id}>",
    }
    for key, value in rows.items():
        embed.add_field(
            name=t(key, lang),
            value=truncate(value, EMBED_FIELD_VALUE_LIMIT),
            inline=len(value) < 40,
        )
    if status_line:
        embed.add_field(name=t("sigles.suggestion.field.status", lang), value=status_line)
    return embed


def weekly_embed(
    entry: Entry, glossary: Glossary, lang: str, contributor_id: int | None = None
) -> discord.Embed:
    """The sigle of the week: expansion, explanation, region, equivalents on the other side."""
    title = t("sigles.semaine.title", lang, sigle=text_of(entry, entry.sigle))
    embed = discord.Embed(title=truncate(title, EMBED_TITLE_LIMIT), colour=COLOUR)
    name = f"{region_label(entry.region, lang)} — {text_of(entry, entry.developpe)}"
    embed.add_field(
        name=truncate(name, EMBED_FIELD_NAME_LIMIT),
        value=entry_value(entry, glossary, lang, contributor_id),
        inline=False,
    )
    embed.set_footer(text=t("sigles.semaine.footer", lang))
    return embed
