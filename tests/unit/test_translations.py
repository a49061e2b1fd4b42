"""Every message exists in French and English, with the same placeholders; every key used exists."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from bot.i18n import (
    LANGS,
    PLURAL_RULES,
    catalog_files,
    lang_for,
    placeholders,
    read_catalog,
    t,
    tn,
)

ROOT = Path(__file__).resolve().parents[2]
# Keys written literally in calls: t("k"), L("k"), UserError("k"), self.t("k") …
USED = re.compile(r"""\b(?:t|tn|L|UserError|WhenError)\(\s*["']([a-z][\w.-]*\.[\w.-]+)["']""")
# « réponse(s) », « answer(s) », « ajouté(e)s »: a number's form is the catalog's job (tn).
PSEUDO_PLURAL = re.compile(r"\w\((?:s|es|e|x|e\)s)\)")


def _catalog_dirs() -> list[Path]:
    return sorted({p.parent for paths in catalog_files().values() for p in paths})


@pytest.mark.parametrize("folder", _catalog_dirs(), ids=lambda p: str(p.relative_to(ROOT)))
def test_each_catalog_pair_is_complete(folder: Path) -> None:
    tables = {lang: read_catalog(folder / f"{lang}.po") for lang in LANGS}
    fr, en = tables["fr"], tables["en"]
    assert set(fr) == set(en), (
        f"only in fr: {sorted(set(fr) - set(en))}; only in en: {sorted(set(en) - set(fr))}"
    )
    for key in fr:
        assert type(fr[key]) is type(en[key]), f"{key} is plural in one language only"
        forms = [*_forms(fr[key]), *_forms(en[key])]
        assert all(form.strip() for form in forms), f"empty message {key}"
        assert placeholders(fr[key]) == placeholders(en[key]), f"placeholders differ in {key}"
        bad = [form for form in forms if PSEUDO_PLURAL.search(form)]
        assert not bad, f"{key}: write plural forms (tn), not {bad}"


def _forms(message: str | tuple[str, ...]) -> tuple[str, ...]:
    return message if isinstance(message, tuple) else (message,)


def test_plural_forms_follow_each_language() -> None:
    assert PLURAL_RULES == {"fr": "(n > 1)", "en": "(n != 1)"}
    assert tn("plural.example", 0, "fr") == "0 réponse"
    assert tn("plural.example", 1, "fr") == "1 réponse"
    assert tn("plural.example", 2, "fr") == "2 réponses"
    assert tn("plural.example", 0, "en") == "0 answers"
    assert tn("plural.example", 1, "en") == "1 answer"


def test_no_key_is_defined_twice_across_catalogs() -> None:
    seen: dict[str, Path] = {}
    for path in catalog_files()["fr"]:
        for key in read_catalog(path):
            assert key not in seen, f"{key} in both {seen[key]} and {path}"
            seen[key] = path


def test_every_literal_key_used_in_code_exists() -> None:
    known = set()
    for path in catalog_files()["fr"]:
        known |= set(read_catalog(path))
    missing = []
    for source in [*ROOT.joinpath("bot").rglob("*.py"), *ROOT.joinpath("cogs").rglob("*.py")]:
        for key in USED.findall(source.read_text(encoding="utf-8")):
            if key not in known:
                missing.append(f"{source.relative_to(ROOT)}: {key}")
    assert not missing, "\n".join(missing)


def test_language_choice_follows_discord_locale_then_server() -> None:
    assert lang_for("fr", "en") == "fr"
    assert lang_for("en-US", "fr") == "en"
    assert lang_for("en-GB", "fr") == "en"
    assert lang_for("de", "en") == "en"
    assert lang_for("pt-BR", "fr") == "fr"


def test_translate_fills_placeholders_in_each_language() -> None:
    assert "AB12" in t("errors.unexpected", "fr", ref="AB12")
    assert t("errors.unexpected", "fr", ref="X") != t("errors.unexpected", "en", ref="X")


def test_each_catalog_declares_its_language_plural_rule() -> None:
    from babel.messages.pofile import read_po

    for lang, paths in catalog_files().items():
        for path in paths:
            with path.open("rb") as fh:
                assert read_po(fh).plural_expr == PLURAL_RULES[lang], path


def test_a_plural_key_given_n_through_t_takes_the_right_form() -> None:
    assert t("plural.example", "fr", n=1) == "1 réponse"
    assert t("plural.example", "en", n=3) == "3 answers"
