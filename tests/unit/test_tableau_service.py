"""Le tableau's rules: validation, alerts matching, tags within Discord's limits, the search's
compact encoding, and the digest's splitting within Discord's limits."""

from __future__ import annotations

from datetime import date

import pytest

from bot.discord_text import (
    CUSTOM_ID_LIMIT,
    EMBED_DESCRIPTION_LIMIT,
    EMBED_TITLE_LIMIT,
    EMBED_TOTAL_LIMIT,
)
from bot.regions import Side
from bot.user_error import UserError
from cogs.tableau.service import (
    Alert,
    NewsKind,
    OfferKind,
    Post,
    PostKind,
    Rhythm,
    Search,
    Status,
    TagKey,
    decode_search,
    encode_search,
    forum_tag_keys,
    post_name,
    search_words,
    tags_for,
    validate_link,
    validate_offer,
)
from cogs.tableau.service.digest import EMBEDS_PER_MESSAGE, Line, blocks, messages


def offer(**changes: object) -> Post:
    base = Post(
        id=1,
        guild_id=10,
        kind=PostKind.OFFER,
        category=OfferKind.STAGE,
        status=Status.LIVE,
        title="Stage en CLSC",
        structure="CIUSSS du Centre-Sud",
        place_code="QC-06",
        country="QC",
        side=Side.AMERICA,
        professions=("qc-ts",),
        author_id=99,
    )
    return base.with_(**changes)


# -- validation ------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "ftp://example.org/x",
        "www.example.org",
        "https://",
        "http://localhost",
    ],
)
def test_links_must_be_web_links(link: str) -> None:
    with pytest.raises(UserError) as caught:
        validate_link(link)
    assert caught.value.key == "tableau.error.link"


def test_a_good_link_and_an_empty_one() -> None:
    assert validate_link("https://emploi.example.org/offre?id=3") == (
        "https://emploi.example.org/offre?id=3"
    )
    assert validate_link("  ") == ""


@pytest.mark.parametrize(
    ("field", "value", "key"),
    [
        ("title", "", "tableau.error.missing"),
        ("title", "x" * 86, "tableau.error.too_long"),
        ("structure", "   ", "tableau.error.missing"),
        ("description", "", "tableau.error.missing"),
        ("description", "x" * 2001, "tableau.error.too_long"),
    ],
)
def test_offer_fields_are_checked(field: str, value: str, key: str) -> None:
    fields = {
        "title": "Éducateur spécialisé",
        "structure": "MECS Les Tilleuls",
        "city": "Brest",
        "link": "",
        "description": "CDI, temps plein.",
        "deadline": None,
    }
    fields[field] = value
    with pytest.raises(UserError) as caught:
        validate_offer(**fields)  # type: ignore[arg-type]
    assert caught.value.key == key


# -- alerts ----------------------------------------------------------------------------------------
def alert(**changes: object) -> Alert:
    base = Alert(id=1, guild_id=10, user_id=7, kind=PostKind.OFFER, rhythm=Rhythm.NOW)
    return Alert(**{**base.__dict__, **changes})


def test_an_empty_alert_takes_every_post_of_its_kind_but_not_the_members_own() -> None:
    assert alert().matches(offer())
    assert not alert(kind=PostKind.NEWS).matches(offer())
    assert not alert(user_id=99).matches(offer())  # their own post


def test_alert_criteria() -> None:
    post = offer()
    assert alert(categories=frozenset({"stage", "emploi"})).matches(post)
    assert not alert(categories=frozenset({"emploi"})).matches(post)
    assert alert(countries=frozenset({"QC"})).matches(post)
    assert not alert(countries=frozenset({"FR"})).matches(post)
    assert alert(places=frozenset({"QC-06"})).matches(post)
    assert not alert(places=frozenset({"QC-15"})).matches(post)
    # a whole country or a precise place: either one is enough
    assert alert(countries=frozenset({"FR"}), places=frozenset({"QC-06"})).matches(post)
    assert not alert(professions=frozenset({"fr-es"})).matches(post)
    # the same alert with the equivalents of its professions (computed by the caller)
    assert alert(professions=frozenset({"fr-ass"})).matches(post, frozenset({"fr-ass", "qc-ts"}))


# -- tags ------------------------------------------------------------------------------------------
def test_a_shared_forum_needs_at_most_twenty_tags() -> None:
    keys = forum_tag_keys(offers=True, news=True, shared=True)
    assert len(keys) == len(set(keys)) <= 20
    assert "cat:formation" in keys  # one tag for the offers' and the news' « Formation »


@pytest.mark.parametrize("status", [Status.LIVE, Status.CLOSED, Status.FILLED])
def test_a_post_carries_at_most_five_tags(status: Status) -> None:
    keys = tags_for(offer(status=status), shared_forum=True)
    assert len(keys) <= 5
    assert keys[0] == TagKey.AMERICA
    assert (TagKey.CLOSED in keys) is (status is Status.CLOSED)


def test_the_post_name_says_its_state_within_100_characters() -> None:
    prefixes = {Status.CLOSED: "[Clôturée]", Status.FILLED: "[Pourvue]"}
    assert post_name("Stage", Status.CLOSED, prefixes) == "[Clôturée] Stage"
    assert post_name("Stage", Status.LIVE, prefixes) == "Stage"
    assert len(post_name("x" * 85, Status.CLOSED, prefixes)) <= 100


# -- searching -------------------------------------------------------------------------------------
def test_a_search_fits_a_paging_button_and_reads_back() -> None:
    search = Search(
        category=NewsKind.APPEL_A_PROJETS,
        place_code="FR-971",
        country="FR",
        side=Side.AMERICA,
        professions=("fr-cesf-longue",),
        words="x" * 30,
    )
    encoded = encode_search(search, 999)
    assert len(f"tb:s:{encoded}:n") <= CUSTOM_ID_LIMIT
    decoded, page, profession = decode_search(encoded + ":n")
    assert page == 999 and profession == "fr-cesf-longue"
    assert decoded == Search(
        category="appel_projets",
        place_code="FR-971",
        country="FR",
        side=Side.AMERICA,
        words="x" * 30,
    )


def test_searched_words_are_folded_like_the_stored_text() -> None:
    assert Search(words="  Éducateur  SPÉCIALISÉ ").prefixes == [
        ("educateur", "educateus"),
        ("specialise", "specialisf"),
    ]
    assert Search().prefixes == []
    offer_words = search_words(offer(title="Éducateur spécialisé — MECS", city="Saint-Malo"))
    assert {"educateur", "specialise", "mecs", "saint", "malo"} <= offer_words


# -- the digest within Discord's limits ------------------------------------------------------------
def test_five_hundred_news_fit_discords_limits() -> None:
    lines = [
        Line(
            group=f"Pays {i % 4}",
            subgroup=f"Lieu {i % 23}",
            text=f"• [{'Titre très long ' * 5}{i}](https://discord.com/channels/1/{10**17 + i})",
        )
        for i in range(500)
    ]
    lines.sort(key=lambda line: (line.group, line.subgroup))
    found = blocks(lines, continued="{group} (suite)")
    parts = messages(found, heading_size=200)
    shown = sum(b.description.count("• [") for b in found)
    assert shown == 500  # every item, nothing lost
    for part in parts:
        assert 1 <= len(part) <= EMBEDS_PER_MESSAGE
        assert sum(b.size for b in part) <= EMBED_TOTAL_LIMIT - 200
        for block in part:
            assert len(block.description) <= EMBED_DESCRIPTION_LIMIT
            assert len(block.title) <= EMBED_TITLE_LIMIT
    assert len(parts) > 1
    continued = [b for b in found if b.title.endswith("(suite)")]
    assert continued and all(b.description.startswith("**Lieu") for b in continued)


def test_a_small_week_is_one_message() -> None:
    lines = [Line("France", "Paris (75)", "• a"), Line("Québec", "", "• b")]
    found = blocks(lines, continued="{group} (suite)")
    assert [(b.title, b.description) for b in found] == [
        ("France", "**Paris (75)**\n• a"),
        ("Québec", "• b"),
    ]
    assert messages(found) == [found]


def test_deadline_days_are_dates() -> None:
    assert validate_offer(
        title="t", structure="s", city=None, link=None, description="d", deadline=date(2027, 1, 15)
    ).deadline == date(2027, 1, 15)
