"""The rules of `/aide`: sections (one per command, or per group of commands) packed into pages
that fit Discord's embed limits, however many commands the features bring.

Pure: no discord import. Limits are passed in (the caller knows Discord's).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.text import fold


@dataclass(frozen=True)
class Line:
    """One command a member can type: its path (« /config voir ») and what it does."""

    path: str
    description: str

    def text(self) -> str:
        return f"`{self.path}` — {self.description}"


@dataclass(frozen=True)
class Section:
    """A top-level command: its name as the title and its description once; a group's
    subcommands, one line each."""

    title: str
    description: str
    lines: tuple[Line, ...] = ()

    @property
    def sort_key(self) -> str:
        return fold(self.title)


@dataclass(frozen=True)
class Field:
    name: str
    value: str

    def __len__(self) -> int:
        return len(self.name) + len(self.value)


@dataclass(frozen=True)
class Limits:
    field_name: int
    field_value: int
    fields: int  # per page
    page: int  # characters of fields per page (what the title, intro and footer leave)


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def fields_of(section: Section, limits: Limits, continued: str) -> list[Field]:
    """The section as embed fields: the description, then its lines, split into as many fields
    as the value limit asks (`continued` titles the next ones: « {title} (suite) »)."""
    parts = [f"*{section.description}*" if section.lines else section.description]
    parts += [line.text() for line in section.lines]
    values: list[str] = []
    for part in (_cut(p, limits.field_value) for p in parts):
        if values and len(values[-1]) + 1 + len(part) <= limits.field_value:
            values[-1] += "\n" + part
        else:
            values.append(part)
    names = [section.title] + [continued.format(title=section.title)] * (len(values) - 1)
    return [
        Field(_cut(name, limits.field_name), value)
        for name, value in zip(names, values, strict=True)
    ]


def pages(sections: Sequence[Section], limits: Limits, continued: str) -> list[list[Field]]:
    """Every section, in order of their titles, on as few pages as Discord's limits allow; a
    section starts a page rather than be split between two when it fits on one."""
    result: list[list[Field]] = [[]]
    for section in sorted(sections, key=lambda s: s.sort_key):
        fields = fields_of(section, limits, continued)
        page = result[-1]
        if page and not _fits(page, fields, limits):
            result.append(page := [])
        for field in fields:
            if page and not _fits(page, [field], limits):
                result.append(page := [])
            page.append(field)
    return result


def _fits(page: list[Field], more: list[Field], limits: Limits) -> bool:
    size = sum(len(f) for f in page) + sum(len(f) for f in more)
    return len(page) + len(more) <= limits.fields and size <= limits.page
