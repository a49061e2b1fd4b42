"""/aide's packing (cogs.aide.service): every line kept, in title order, within the limits."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cogs.aide.service import Limits, Line, Section, fields_of, pages

LIMITS = Limits(field_name=256, field_value=1024, fields=25, page=5800)
CONTINUED = "{title} (suite)"
TITLE_LETTERS = "abcdefghijklmnopqrstuvwxyzéèàç-_0123456789"


def test_a_long_group_is_continued_and_keeps_every_line() -> None:
    lines = tuple(Line(f"/grand sous-{n:02d}", "x" * 90) for n in range(30))
    section = Section("/grand", "Un groupe de trente commandes", lines)
    parts = fields_of(section, LIMITS, CONTINUED)
    assert [p.name for p in parts] == ["/grand"] + ["/grand (suite)"] * (len(parts) - 1)
    assert all(len(p.value) <= LIMITS.field_value for p in parts)
    text = "\n".join(p.value for p in parts)
    assert text.startswith("*Un groupe de trente commandes*")
    assert all(line.text() in text for line in lines)


def test_a_single_command_is_its_description_alone() -> None:
    [part] = fields_of(Section("/sigle", "Que veut dire ce sigle ?"), LIMITS, CONTINUED)
    assert (part.name, part.value) == ("/sigle", "Que veut dire ce sigle ?")


sections = st.lists(
    st.builds(
        Section,
        st.text(TITLE_LETTERS, min_size=1, max_size=40).map(lambda s: "/" + s),
        st.text(min_size=1, max_size=100),
        st.lists(
            st.builds(Line, st.text(min_size=1, max_size=60), st.text(max_size=100)), max_size=40
        ).map(tuple),
    ),
    max_size=60,
)


@given(sections)
def test_pages_hold_every_section_in_order_within_the_limits(found: list[Section]) -> None:
    book = pages(found, LIMITS, CONTINUED)
    for page in book:
        assert len(page) <= LIMITS.fields
        assert sum(len(f) for f in page) <= LIMITS.page
    titles = [f.name for page in book for f in page if not f.name.endswith(" (suite)")]
    expected = [s.title for s in sorted(found, key=lambda s: s.sort_key)]
    assert [t[: LIMITS.field_name] for t in titles] == [t[: LIMITS.field_name] for t in expected]
