"""Le tableau's forms: an offer, a piece of news, an edit, an alert, a report. Short-lived
(they carry their slash command's context); they get the workflows through their constructor."""

from __future__ import annotations

from typing import Any

import discord

from bot.discord_text import MODAL_TITLE_LIMIT, TEXT_INPUT_LABEL_LIMIT, truncate
from bot.errors import ErrorHandlingModal
from bot.i18n import t
from bot.regions import REGIONS
from cogs.tableau import service
from cogs.tableau.service import MEMBER_NEWS_KINDS, OfferKind, Post, PostKind, Rhythm
from cogs.tableau.views.actions import Actions, Context, Interaction

SELECT_LABEL_MAX = 100
LIST_INPUT_MAX = 300
DEADLINE_INPUT_MAX = 40


def _label(key: str, lang: str, component: discord.ui.Item[Any]) -> discord.ui.Label[Any]:
    return discord.ui.Label(
        text=truncate(t(key, lang), TEXT_INPUT_LABEL_LIMIT), component=component
    )


def _text(
    custom_id: str,
    maximum: int,
    default: str = "",
    *,
    long: bool = False,
    required: bool = True,
    placeholder: str | None = None,
) -> discord.ui.TextInput[Any]:
    return discord.ui.TextInput(
        custom_id=custom_id,
        style=discord.TextStyle.paragraph if long else discord.TextStyle.short,
        default=default[:maximum] or None,
        max_length=maximum,
        required=required,
        placeholder=truncate(placeholder, 100) if placeholder else None,
    )


def _select(
    custom_id: str,
    options: list[tuple[str, str]],
    *,
    many: bool,
    chosen: frozenset[str] = frozenset(),
) -> discord.ui.Select[Any]:
    return discord.ui.Select(
        custom_id=custom_id,
        min_values=0 if many else 1,
        max_values=len(options) if many else 1,
        required=not many,
        options=[
            discord.SelectOption(
                label=truncate(label, SELECT_LABEL_MAX), value=value, default=value in chosen
            )
            for value, label in options
        ],
    )


class PostModal(ErrorHandlingModal):
    """An offer (title, structure, deadline, link, description) or a piece of news (structure,
    title, link, text); also the edit form of an existing post."""

    def __init__(
        self,
        flows: Actions,
        lang: str,
        *,
        context: Context | None = None,
        post: Post | None = None,
    ) -> None:
        kind = context.kind if context else post.kind if post else PostKind.OFFER
        key = f"tableau.form.{'edit' if post else kind}"
        super().__init__(title=truncate(t(key, lang), MODAL_TITLE_LIMIT))
        self.flows, self.context, self.post = flows, context, post
        offer = kind is PostKind.OFFER
        self.fields: dict[str, discord.ui.TextInput[Any]] = {}
        deadline = post.deadline.strftime("%d/%m/%Y") if post and post.deadline else ""
        layout: list[tuple[str, discord.ui.TextInput[Any]]] = [
            (
                "structure",
                _text("structure", service.STRUCTURE_MAX, post.structure if post else ""),
            ),
            (
                "title",
                _text(
                    "title",
                    service.TITLE_MAX,
                    post.title if post else "",
                    required=offer,
                    placeholder=None if offer else t("tableau.form.title_hint", lang),
                ),
            ),
        ]
        if offer:
            layout.append(
                (
                    "deadline",
                    _text(
                        "deadline",
                        DEADLINE_INPUT_MAX,
                        deadline,
                        required=False,
                        placeholder=t("tableau.form.deadline_hint", lang),
                    ),
                )
            )
        layout.append(
            ("link", _text("link", service.LINK_MAX, post.link if post else "", required=False))
        )
        layout.append(
            (
                "description",
                _text(
                    "description",
                    service.DESCRIPTION_MAX if offer else service.NEWS_TEXT_MAX,
                    post.description if post else "",
                    long=True,
                ),
            )
        )
        for name, field in layout:
            self.fields[name] = field
            self.add_item(_label(f"tableau.field.{name}", lang, field))

    async def on_submit(self, interaction: Interaction) -> None:
        values = {name: field.value for name, field in self.fields.items()}
        if self.post is not None:
            await self.flows.submit_edit(interaction, self.post.id, values)
        else:
            assert self.context is not None
            await self.flows.submit_post(interaction, self.context, values)


class AlertModal(ErrorHandlingModal):
    """What a member wants to hear about, privately: kinds, countries, places, professions
    (offers), at once or in a daily digest."""

    def __init__(self, flows: Actions, kind: PostKind, lang: str, current: Any = None) -> None:
        super().__init__(title=truncate(t(f"tableau.alert.form.{kind}", lang), MODAL_TITLE_LIMIT))
        self.flows, self.kind = flows, kind
        categories = (
            list(OfferKind)
            if kind is PostKind.OFFER
            else [*MEMBER_NEWS_KINDS, service.NewsKind.FLUX]
        )
        self.categories = _select(
            "categories",
            [(str(c), t(f"tableau.category.{c}", lang)) for c in categories],
            many=True,
            chosen=current.categories if current else frozenset(),
        )
        self.countries = _select(
            "countries",
            [(r, t(f"reference.country.{r}", lang)) for r in REGIONS],
            many=True,
            chosen=current.countries if current else frozenset(),
        )
        self.places = _text(
            "places",
            LIST_INPUT_MAX,
            ", ".join(sorted(current.places)) if current else "",
            required=False,
            placeholder=t("tableau.alert.places_hint", lang),
        )
        self.rhythm = _select(
            "rhythm",
            [(str(r), t(f"tableau.rhythm.{r}", lang)) for r in Rhythm],
            many=False,
            chosen=frozenset({str(current.rhythm if current else Rhythm.NOW)}),
        )
        self.add_item(_label("tableau.alert.field.categories", lang, self.categories))
        self.add_item(_label("tableau.alert.field.countries", lang, self.countries))
        self.add_item(_label("tableau.alert.field.places", lang, self.places))
        self.professions: discord.ui.TextInput[Any] | None = None
        if kind is PostKind.OFFER:
            self.professions = _text(
                "professions",
                LIST_INPUT_MAX,
                ", ".join(sorted(current.professions)) if current is not None else "",
                required=False,
                placeholder=t("tableau.alert.professions_hint", lang),
            )
            self.add_item(_label("tableau.alert.field.professions", lang, self.professions))
        self.add_item(_label("tableau.alert.field.rhythm", lang, self.rhythm))

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.save_alert(
            interaction,
            self.kind,
            {
                "categories": list(self.categories.values),
                "countries": list(self.countries.values),
                "places": self.places.value,
                "professions": self.professions.value if self.professions else "",
                "rhythm": (self.rhythm.values or [Rhythm.NOW])[0],
            },
        )


class ReportModal(ErrorHandlingModal):
    def __init__(self, flows: Actions, post_id: int, lang: str) -> None:
        super().__init__(title=truncate(t("tableau.report.title", lang), MODAL_TITLE_LIMIT))
        self.flows, self.post_id = flows, post_id
        self.reason = _text("reason", service.REPORT_REASON_MAX, required=False, long=True)
        self.add_item(_label("tableau.report.reason", lang, self.reason))

    async def on_submit(self, interaction: Interaction) -> None:
        await self.flows.report(interaction, self.post_id, self.reason.value)
