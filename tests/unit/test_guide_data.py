"""The guide for those who move: `python -m bot guide check` and the shipped files."""

from __future__ import annotations

import io
import shutil
import tomllib
from pathlib import Path

from bot.settings import Settings
from cogs.guide import cli
from cogs.guide import service as guide
from cogs.guide.service import Direction


def _run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(argv, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_shipped_guides_pass_their_check() -> None:
    code, out, err = _run(["guide", "check"])
    assert code == 0, err
    assert "france-quebec : " in out and "quebec-france : " in out
    assert "à vérifier" in out  # unverified steps are listed, not hidden


def test_the_entry_point_function_runs_the_check() -> None:
    assert cli.command(["check"], Settings(discord_token="")) == 0


def test_every_step_has_an_official_source_and_a_date_or_is_marked() -> None:
    for direction in Direction:
        loaded = guide.guide(direction)
        assert loaded.steps
        for step in loaded.steps:
            assert step.source.startswith("https://")
            assert step.verified == bool(step.checked_on)


def test_the_guide_covers_what_a_social_worker_needs() -> None:
    there = {s.id for s in guide.guide(Direction.FRANCE_QUEBEC).steps}
    back = {s.id for s in guide.guide(Direction.QUEBEC_FRANCE).steps}
    assert {"arm", "ordre", "permis-de-travail", "mobilite-francophone", "ramq", "nas"} <= there
    assert {"attestation", "autres-metiers", "assurance-maladie", "entente"} <= back
    ramq = next(s for s in guide.guide(Direction.FRANCE_QUEBEC).steps if s.id == "ramq")
    assert "RAMQ" in ramq.acronyms and "carence" in ramq.text


def _broken(tmp_path: Path) -> Path:
    folder = tmp_path / "guide"
    shutil.copytree(guide.GUIDE_DIR, folder)
    path = folder / "france-quebec.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('sigles = ["DEASS", "OTSTCFQ"]', 'sigles = ["DEASS", "ZZZQ"]', 1)
    text = text.replace('id = "ordre"', 'id = "arm"', 1)
    text = text.replace(
        'source = "https://www.canada.ca/fr/immigration', 'source = "http://www.canada.ca/fr/x', 1
    )
    text = text.replace('verifie_le = "2026-12-01"', 'verifie_le = "hier"', 1)
    path.write_text(text, encoding="utf-8")
    (folder / "quebec-france.toml").unlink()
    return folder


def test_a_broken_guide_is_reported_with_each_problem(tmp_path: Path) -> None:
    code, _, err = _run(["check", "--dir", str(_broken(tmp_path))])
    assert code == 1
    assert "sigle ZZZQ absent du glossaire" in err
    assert "id arm en double" in err
    assert "source absente ou pas en https" in err
    assert "« hier »" in err
    assert "quebec-france : fichier" in err


def test_over_long_texts_are_refused(tmp_path: Path) -> None:
    path = guide.GUIDE_DIR / "france-quebec.toml"
    with path.open("rb") as fh:
        data = tomllib.load(fh)
    data["etape"][0]["texte"] = "x" * (guide.TEXT_MAX + 1)
    _, problems = guide.parse(Direction.FRANCE_QUEBEC, data, guide.glossary_acronyms())
    assert any("texte a 701 caractères" in p for p in problems)
