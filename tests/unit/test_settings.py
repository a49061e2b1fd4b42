"""Settings: one clear sentence (fr + en) naming the variable, exit status 2, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.settings import SettingsError, load_settings

ROOT = Path(__file__).resolve().parents[2]


def test_defaults_with_only_a_token() -> None:
    s = load_settings({"DISCORD_TOKEN": "abc"}, env_file=None)
    assert s.database_path == Path("data/passerelle.db")
    assert s.default_timezone == "Europe/Paris"
    assert s.default_locale == "fr"
    assert s.dev_guild_ids == ()
    assert s.log_level == "INFO"


def test_token_never_in_repr() -> None:
    s = load_settings({"DISCORD_TOKEN": "very-secret-token"}, env_file=None)
    assert "very-secret-token" not in repr(s)


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({}, "DISCORD_TOKEN"),
        ({"DISCORD_TOKEN": "x", "DEFAULT_TIMEZONE": "Mars/Olympus"}, "DEFAULT_TIMEZONE"),
        ({"DISCORD_TOKEN": "x", "DEFAULT_LOCALE": "de"}, "DEFAULT_LOCALE"),
        ({"DISCORD_TOKEN": "x", "DEV_GUILD_IDS": "12,abc"}, "DEV_GUILD_IDS"),
        ({"DISCORD_TOKEN": "x", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
    ],
)
def test_invalid_values_name_the_variable(env: dict[str, str], variable: str) -> None:
    with pytest.raises(SettingsError) as caught:
        load_settings(env, env_file=None)
    message = str(caught.value)
    assert message.startswith(variable)
    assert " / " in message  # French, then English


def test_env_file_then_environment(tmp_path: Path) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text("DISCORD_TOKEN=from-file\nDEV_GUILD_IDS=1, 2\nDEFAULT_LOCALE=en\n")
    s = load_settings({"DEFAULT_LOCALE": "fr"}, env_file=env_file)
    assert s.discord_token == "from-file"
    assert s.dev_guild_ids == (1, 2)
    assert s.default_locale == "fr"  # the environment wins over the file


def _run(args: list[str], env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DISCORD_", "DATABASE_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot", *args],
        env={**base, "PYTHONPATH": str(ROOT), **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_missing_token_stops_with_exit_2_and_no_traceback(tmp_path: Path) -> None:
    result = _run(["run"], {}, tmp_path)
    assert result.returncode == 2
    assert "DISCORD_TOKEN" in result.stderr
    assert "Traceback" not in result.stderr


def test_check_passes_without_token_and_migrates(tmp_path: Path) -> None:
    db = tmp_path / "x" / "p.db"
    result = _run(["check"], {"DATABASE_PATH": str(db)}, tmp_path)
    assert result.returncode == 0, result.stderr
    assert db.exists()


def test_check_fails_clearly_on_bad_zone(tmp_path: Path) -> None:
    result = _run(["check"], {"DEFAULT_TIMEZONE": "Nowhere/Land"}, tmp_path)
    assert result.returncode == 2
    assert "DEFAULT_TIMEZONE" in result.stderr
    assert "Traceback" not in result.stderr


def test_missing_token_message_matches_whether_env_exists(tmp_path: Path) -> None:
    """start.sh has just created .env: the message must not tell the member to create it."""
    absent = _run(["run"], {}, tmp_path)
    assert "copiez .env.example vers .env" in absent.stderr
    (tmp_path / ".env").write_text("DISCORD_TOKEN=\n")
    present = _run(["run"], {}, tmp_path)
    assert present.returncode == 2
    assert "collez le jeton du bot après DISCORD_TOKEN=" in present.stderr
    assert "copiez .env.example" not in present.stderr
