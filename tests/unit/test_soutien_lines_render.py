"""`/ressources` pages stay within Discord's limits by construction."""

from __future__ import annotations

import pytest

from bot.discord_text import (
    EMBED_FIELD_NAME_LIMIT,
    EMBED_FIELD_VALUE_LIMIT,
    EMBED_FIELDS_MAX,
    EMBED_TOTAL_LIMIT,
)
from cogs.soutien import render
from cogs.soutien.resources import REGIONS, load_by_region


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("region", REGIONS)
def test_every_shipped_page_fits_and_every_line_is_on_one(region: str, lang: str) -> None:
    count = render.lines_page_count(region, lang)
    embeds = [render.lines_page(region, page, lang) for page in range(count)]
    for embed in embeds:
        assert len(embed) <= EMBED_TOTAL_LIMIT
        assert 0 < len(embed.fields) <= EMBED_FIELDS_MAX
        for field in embed.fields:
            assert len(field.name or "") <= EMBED_FIELD_NAME_LIMIT
            assert len(field.value or "") <= EMBED_FIELD_VALUE_LIMIT
    values = "\n".join(f.value or "" for e in embeds for f in e.fields)
    for line in load_by_region()[region]:
        assert render.line_entry(line, lang) in values
    assert render.lines_page(region, count + 5, lang).footer.text == embeds[-1].footer.text


def test_packing_starts_a_page_at_the_size_or_the_field_count_limit() -> None:
    big = [(f"n{i}", "v" * 1000) for i in range(13)]
    pages = render.pack_pages(big, base=500)
    assert [len(p) for p in pages] == [5, 5, 3]  # 500 + 5 × 1002 ≤ 6000 < 500 + 6 × 1002
    small = [(f"n{i}", "v") for i in range(60)]
    assert [len(p) for p in render.pack_pages(small, base=0)] == [25, 25, 10]
    assert render.pack_pages([], base=0) == ((),)


def test_the_thread_frame_lists_every_number_within_one_description() -> None:
    for region in REGIONS:
        embed = render.lines_embed(region, "fr")
        assert len(embed) <= EMBED_TOTAL_LIMIT
        for line in load_by_region()[region]:
            assert f"**{line.numero}** — " in (embed.description or "")
