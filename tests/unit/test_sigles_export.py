"""CSV/JSON export and validated import; the `sigles` command line."""

from __future__ import annotations

import csv
import io
import json

import pytest

from bot.i18n import message, placeholders
from cogs.sigles.cli import main
from cogs.sigles.export import (
    CSV_HEADER,
    RowError,
    RowErrors,
    from_csv,
    from_json,
    to_csv,
    to_json,
)
from cogs.sigles.glossary import Entry, load_glossary


@pytest.fixture(scope="module")
def glossary():
    return load_glossary()


def comparable(e: Entry, *, full: bool) -> tuple:
    base = (
        e.sigle,
        e.region,
        e.developpe,
        e.explication,
        e.domaine,
        e.alias,
        e.refs("equivalents"),  # the CSV lists counterparts by ref only
        e.historique,
        e.source,
    )
    full_fields = (e.equivalents, e.equivalence_note, e.remplace_par, e.remplace, e.voir_aussi)
    return (*base, *full_fields, e.verifie_le) if full else base


def test_csv_header_is_exact(glossary):
    first_line = to_csv(glossary).splitlines()[0]
    assert (
        first_line
        == "sigle,region,developpe,explication,domaine,alias,equivalents,historique,source"
    )
    assert tuple(first_line.split(",")) == CSV_HEADER


def test_csv_round_trip_of_the_whole_glossary(glossary):
    text = to_csv(glossary)
    rows = list(csv.reader(io.StringIO(text)))
    assert len(rows) == len(glossary) + 1
    assert any("; " in row[6] for row in rows[1:])  # lists joined with "; "
    entries, errors = from_csv(text, origin="shipped")
    assert errors == []
    assert [comparable(e, full=False) for e in entries] == [
        comparable(e, full=False) for e in glossary
    ]


def test_json_round_trip_keeps_every_field(glossary):
    text = to_json(glossary)
    assert "Aide sociale à l'enfance" in text  # accents kept
    entries, errors = from_json(text, origin="shipped")
    assert errors == []
    assert [comparable(e, full=True) for e in entries] == [
        comparable(e, full=True) for e in glossary
    ]


def test_formula_cells_are_defused_and_restored():
    e = Entry("=CMD", "FR", "=HYPERLINK()", "+x", "institutions", "https://example.org")
    text = to_csv([e])
    assert "'=CMD" in text
    (back,), errors = from_csv(text)
    assert errors == [] and back.sigle == "=CMD" and back.developpe == "=HYPERLINK()"


def test_csv_errors_have_row_numbers(glossary):
    good = "ZZA,QC,Un sigle,Une explication.,institutions,,,false,https://example.org"
    bad_region = "ZZB,US,Un sigle,Une explication.,institutions,,,false,https://example.org"
    bad_url = "ZZC,FR,Un sigle,Une explication.,institutions,,,false,http://example.org"
    bad_ref = "ZZD,FR,Un sigle,Une explication.,institutions,,QC:NOPE,false,https://example.org"
    bad_bool = "ZZE,FR,Un sigle,Une explication.,institutions,,,peut-être,https://example.org"
    short = "ZZF,FR"
    text = "\n".join([",".join(CSV_HEADER), good, bad_region, bad_url, bad_ref, bad_bool, short])
    entries, errors = from_csv(text, known=glossary)
    assert [e.sigle for e in entries] == ["ZZA", "ZZD"]  # ZZD is valid but its ref dangles
    rows = sorted({err.row for err in errors})
    assert rows == [3, 4, 5, 6, 7]
    assert any("QC:NOPE" in err.message and err.row == 5 for err in errors)
    assert str(errors[0]).startswith("ligne 3 :")


def test_csv_refs_resolve_against_known_entries(glossary):
    row = "ZZA,FR,Un sigle,Une explication.,institutions,Z.Z.A.,QC:DPJ; QC:CLSC,true,https://a.org"
    text = ",".join(CSV_HEADER) + "\n" + row
    (entry,), errors = from_csv(text, known=glossary, guild_id=7)
    assert errors == [] and entry.refs("equivalents") == ("QC:DPJ", "QC:CLSC")
    assert all(e.relation is None for e in entry.equivalents)  # a server's: relation unknown
    assert entry.origin == "guild" and entry.guild_id == 7 and entry.historique
    _, errors = from_csv(text)  # without the shipped glossary the refs dangle
    assert {err.row for err in errors} == {2}


def test_csv_missing_column_and_duplicates():
    _, errors = from_csv("sigle,region\nA,FR\n")
    assert errors and errors[0].row == 1 and "explication" in errors[0].message
    row = "ZZA,FR,Un sigle,Une explication.,institutions,,,false,https://a.org"
    entries, errors = from_csv("\n".join([",".join(CSV_HEADER), row, row]))
    assert len(entries) == 2 and [err.row for err in errors] == [3]


def test_json_errors_have_row_numbers():
    items = [
        {
            "sigle": "ZZA",
            "region": "FR",
            "developpe": "A",
            "explication": "B",
            "domaine": "institutions",
            "source": "https://a.org",
        },
        {
            "sigle": "",
            "region": "FR",
            "developpe": "A",
            "explication": "B",
            "domaine": "institutions",
            "source": "https://a.org",
        },
        "pas un objet",
        {"sigle": "ZZC", "unknown": 1},
    ]
    entries, errors = from_json(json.dumps(items))
    assert [e.sigle for e in entries] == ["ZZA"]
    assert sorted({err.row for err in errors}) == [2, 3, 4]
    _, errors = from_json("{not json")
    assert errors and errors[0].row == 1


BASE = {
    "sigle": "ZZA",
    "region": "FR",
    "developpe": "Un sigle",
    "explication": "Une explication.",
    "domaine": "institutions",
    "source": "https://a.org",
}
# one item per problem the validator can find in an imported entry
BAD_ITEMS = [
    BASE | {"sigle": 3},
    BASE | {"explication": ""},
    BASE | {"developpe": "x" * 500},
    BASE | {"alias": 3},
    BASE | {"alias": [f"a{n}" for n in range(30)]},
    BASE | {"equivalents": ["QC:" + "X" * 60]},
    BASE | {"alias": ["x" * 500]},
    BASE | {"equivalents": ["DPJ"]},
    BASE | {"historique": "peut-être"},
    BASE | {"sigle": "..."},
    BASE | {"region": "US"},
    BASE | {"domaine": "santé"},
    BASE | {"source": "http://a.org"},
    BASE | {"sigle": "ZZB", "equivalents": ["QC:NOPE"]},
    BASE | {"sigle": "ZZC", "remplace_par": ["FR:ZZC"]},
    BASE | {"sigle": "ZZD"},
    BASE | {"sigle": "ZZD"},
    "pas un objet",
    BASE | {"inconnu": 1},
    BASE | {"sigle": "ZZE", "equivalents": [3]},
    BASE | {"sigle": "ZZF", "equivalents": [{"ref": "QC:DPJ", "relation": "proche", "x": 1}]},
    BASE | {"sigle": "ZZG", "equivalents": [{"ref": "QC:DPJ", "relation": "pareil"}]},
    BASE
    | {
        "sigle": "ZZH",
        "equivalents": [{"ref": "QC:DPJ", "relation": "equivalent", "difference": 3}],
    },
    BASE
    | {
        "sigle": "ZZI",
        "equivalents": [{"ref": "QC:DPJ", "relation": "proche", "difference": "d" * 201}],
    },
    BASE | {"sigle": "ZZJ", "equivalents": [{"ref": "QC:DPJ", "relation": "proche"}]},
    BASE | {"sigle": "ZZK", "verifie_le": "hier"},
]


def test_every_import_problem_has_its_own_key_in_both_languages():
    _, errors = from_json(json.dumps(BAD_ITEMS))
    rows = sorted({e.row for e in errors})
    assert rows == [n for n in range(1, len(BAD_ITEMS) + 1) if n != 16]  # 16: the first ZZD
    assert [e.row for e in errors if e.key.endswith(".other")] == []
    keys = {e.key for e in errors}
    assert len(keys) == 25  # every kind, told apart
    for error in errors:
        for lang in ("fr", "en"):
            text = message(error.key, lang) or ""
            implicit = {"n"} if isinstance(text, tuple) else set()  # a plural's number
            assert placeholders(text) | implicit == set(error.params), error.key
    for rows in (
        from_csv("")[1],
        from_csv("sigle,region\nA,FR\n")[1],
        from_json("{not json")[1],
        from_json("{}")[1],
    ):
        assert rows and not any(e.key.endswith(".other") for e in rows)


def test_row_errors_are_worded_in_the_readers_language():
    text = "\n".join([",".join(CSV_HEADER), "ZZB,US,A,B,institutions,,,false,https://a.org"])
    _, [error] = from_csv(text)
    assert error == RowError(3 - 1, "sigles.import.error.bad_region", error.params)
    assert error.render("en") == "line 2: unknown region “US” (expected: FR, QC, BE, CH)"
    assert str(error) == "ligne 2 : région inconnue « US » (attendu : FR, QC, BE, CH)"
    assert error.message == "région inconnue « US » (attendu : FR, QC, BE, CH)"
    whole = RowErrors([RowError(0, "sigles.import.error.not_a_list"), error] * 7)
    assert whole.startswith("• une liste d'objets est attendue\n• ligne 2 : région inconnue")
    assert whole.render("en").splitlines()[:2] == [
        "• a list of objects is expected",
        "• line 2: unknown region “US” (expected: FR, QC, BE, CH)",
    ]
    assert whole.render("en").splitlines()[-1] == "• … (+2)"
    assert "ligne 2" in whole  # French text until worded for someone


def test_cli_check_ok(capsys):
    assert main(["sigles", "check"]) == 0
    out = capsys.readouterr().out
    assert "entrées : FR" in out and "QC" in out


def test_cli_check_reports_file_and_line(tmp_path, capsys):
    (tmp_path / "x.toml").write_text(
        '[[sigle]]\nsigle = "A"\nregion = "FR"\ndeveloppe = "A"\nexplication = ""\n'
        'domaine = "institutions"\nsource = "https://a.org"\n',
        encoding="utf-8",
    )
    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert "x.toml:1:" in capsys.readouterr().err


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_cli_export(fmt, glossary, capsys):
    assert main(["export", "--format", fmt]) == 0
    out = capsys.readouterr().out
    parse = from_csv if fmt == "csv" else from_json
    entries, errors = parse(out, origin="shipped")
    assert errors == [] and len(entries) == len(glossary)


def test_cli_export_guild_without_hook_is_a_clear_error(capsys):
    assert main(["export", "--format", "csv", "--guild", "123"]) != 0
    assert "--guild" in capsys.readouterr().err


def test_cli_export_guild_with_async_hook(capsys):
    entry = Entry(
        "ZZA",
        "QC",
        "Local",
        "Propre au serveur.",
        "institutions",
        "https://a.org",
        origin="guild",
        guild_id=123,
    )
    seen = []

    async def hook(guild_id: int):
        seen.append(guild_id)
        return [entry]

    assert main(["export", "--format", "json", "--guild", "123"], guild_entries=hook) == 0
    assert seen == [123]
    back, errors = from_json(capsys.readouterr().out)
    # the shipped glossary, plus the server's own entry
    assert errors == [] and len(back) == len(load_glossary()) + 1
    assert [e.sigle for e in back if e.sigle == "ZZA"] == ["ZZA"]
