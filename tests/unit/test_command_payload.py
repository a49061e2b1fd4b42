"""The synced payload respects Discord's rules, and the checker itself catches violations."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.client import Passerelle
from bot.command_rules import check_payload
from bot.settings import Settings

LOCALES = {"fr", "en-US", "en-GB"}


@pytest.fixture
async def payload(tmp_path: Path) -> list[dict]:
    bot = Passerelle(Settings(discord_token="", database_path=tmp_path / "p.db"))
    await bot.prepare()
    try:
        assert not bot.failed_cogs, bot.failed_cogs
        return await bot.command_payload()
    finally:
        await bot.db.close()


async def test_whole_tree_respects_discord_rules(payload: list[dict]) -> None:
    assert payload, "no command at all"
    assert check_payload(payload) == []


def _walk(node: dict) -> list[dict]:
    found = [node]
    for child in node.get("options") or []:
        found += _walk(child)
    return found


async def test_every_name_and_description_is_localised(payload: list[dict]) -> None:
    for command in payload:
        for node in _walk(command):
            assert set(node.get("name_localizations") or {}) == LOCALES, node["name"]
            if "description" in node:
                assert set(node.get("description_localizations") or {}) == LOCALES, node["name"]
            for choice in node.get("choices") or []:
                assert set(choice.get("name_localizations") or {}) == LOCALES, choice["name"]


def _command(**over: object) -> dict:
    base = {"name": "ok", "description": "fine", "type": 1, "options": []}
    return {**base, **over}


@pytest.mark.parametrize(
    ("bad", "why"),
    [
        (_command(name="Upper"), "pattern"),
        (_command(name="x" * 33), "pattern"),
        (_command(name="with space"), "pattern"),
        (_command(description=""), "1-100"),
        (_command(description="d" * 101), "1-100"),
        (_command(name_localizations={"fr-FR": "ok"}), "not a Discord locale"),
        (
            _command(options=[{"name": f"o{i}", "description": "d", "type": 3} for i in range(26)]),
            "more than 25 options",
        ),
        (
            _command(
                options=[
                    {
                        "name": "o",
                        "description": "d",
                        "type": 3,
                        "choices": [{"name": str(i), "value": str(i)} for i in range(26)],
                    }
                ]
            ),
            "more than 25 choices",
        ),
    ],
)
def test_checker_catches_each_rule(bad: dict, why: str) -> None:
    problems = check_payload([bad])
    assert any(why in p for p in problems), problems


async def test_moderator_only_groups_are_hidden_from_members(tmp_path: Path) -> None:
    """A group whose every command is moderator-only carries default_member_permissions (Discord
    hides it from members); a group with any member command does not."""
    from bot.checks import MODERATOR_PERMISSIONS, is_moderator_command

    bot = Passerelle(Settings(discord_token="", database_path=tmp_path / "p.db"))
    await bot.prepare()
    try:
        payload = {c["name"]: c for c in await bot.command_payload()}
        for top in bot.tree.get_commands():
            leaves = [
                c
                for c in (top.walk_commands() if hasattr(top, "walk_commands") else [top])
                if not hasattr(c, "walk_commands")  # commands, not their sub-groups
            ]
            all_mod = all(is_moderator_command(c) for c in leaves)
            expected = MODERATOR_PERMISSIONS.value if all_mod else None
            assert payload[top.name]["default_member_permissions"] == expected, top.name
        assert {"config", "glossaire", "annonce"} <= {
            name for name, c in payload.items() if c["default_member_permissions"]
        }
    finally:
        await bot.db.close()
