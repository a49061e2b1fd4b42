"""« Les nouvelles de la semaine » and the daily alert digests: grouping and splitting within
Discord's limits, as plain text blocks (`render` turns them into embeds). Pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot.discord_text import (
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
    truncate,
)

EMBEDS_PER_MESSAGE = 10
# Room kept in each message for the heading content and the « (suite) » marks.
MESSAGE_BUDGET = EMBED_TOTAL_LIMIT - 200
LINE_MAX = 400
# Two blocks fill a message: fewer, fuller messages than one 4,096-character block each.
BLOCK_LIMIT = min(EMBED_DESCRIPTION_LIMIT, MESSAGE_BUDGET // 2 - EMBED_TITLE_LIMIT)


@dataclass(frozen=True)
class Line:
    """One post in a digest: its group (a country), its sub-group (a place), its line."""

    group: str
    subgroup: str
    text: str


@dataclass(frozen=True)
class Block:
    """One embed's worth: a title and a description within Discord's limits."""

    title: str
    description: str

    @property
    def size(self) -> int:
        return len(self.title) + len(self.description)


def blocks(lines: Sequence[Line], *, continued: str) -> list[Block]:
    """Lines grouped (in the order given) into blocks: one group per block, a group too long for
    one description continues in the next block, titled with `continued` (« {group} (suite) »);
    sub-group headings are repeated where a block starts inside a sub-group."""
    out: list[Block] = []
    current_group: str | None = None
    current_sub: str | None = None
    body: list[str] = []
    title = ""
    limit = BLOCK_LIMIT

    def close() -> None:
        if body:
            out.append(Block(truncate(title, EMBED_TITLE_LIMIT), "\n".join(body)))
            body.clear()

    for line in lines:
        text = truncate(line.text, LINE_MAX)
        if line.group != current_group:
            close()
            current_group, current_sub = line.group, None
            title = line.group
        heading = [f"**{line.subgroup}**"] if line.subgroup else []
        pieces = [] if line.subgroup == current_sub else heading
        if len("\n".join([*body, *pieces, text])) > limit:
            close()
            title = continued.format(group=line.group)
            pieces = heading
        body.extend(pieces)
        body.append(text)
        current_sub = line.subgroup
    close()
    return out


def messages(all_blocks: Sequence[Block], *, heading_size: int = 0) -> list[list[Block]]:
    """Blocks packed into messages: at most 10 embeds and `MESSAGE_BUDGET` characters each
    (the first message also carries a heading of `heading_size` characters)."""
    out: list[list[Block]] = []
    current: list[Block] = []
    size = heading_size
    for block in all_blocks:
        if current and (len(current) >= EMBEDS_PER_MESSAGE or size + block.size > MESSAGE_BUDGET):
            out.append(current)
            current, size = [], 0
        current.append(block)
        size += block.size
    if current:
        out.append(current)
    return out
