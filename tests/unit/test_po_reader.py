"""bot.i18n.po reads our catalogs exactly as Babel does, without Babel (start-up: bench/startup.py),
and hands Babel whatever lies outside the subset it knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.i18n import catalog_files, po

ROOT = Path(__file__).resolve().parents[2]
ALL = sorted(p for paths in catalog_files().values() for p in paths)


@pytest.mark.parametrize("path", ALL, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_catalog_reads_as_babel_reads_it_and_without_babel(path: Path) -> None:
    fast = po._read(path.read_bytes())  # raises _Unusual if Babel would be needed
    assert fast == po.read_with_babel(path)
    assert list(fast) == list(po.read_with_babel(path))


HEADER = (
    'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"\n\n'
)
SAMPLES = {
    "escapes and continued lines": HEADER
    + '# a comment\nmsgid "a.key"\nmsgstr ""\n"Dites :\\n"\n"  \\"bonjour\\"\\t\\\\ \\q"\n',
    "plural forms, one missing": HEADER
    + 'msgid "n.key"\nmsgid_plural "n.key"\nmsgstr[0] "{n} réponse"\n',
    "plural forms out of order": HEADER
    + 'msgid "n.key"\nmsgid_plural "n.key"\nmsgstr[1] "{n} b"\nmsgstr[0] "{n} a"\n',
    "empty translation": HEADER + 'msgid "e.key"\nmsgstr ""\n',
    "no header": 'msgid "x"\nmsgstr "y"\n\n\nmsgid "z"\nmsgstr "w"\r\n',
    "a context": HEADER + 'msgctxt "c"\nmsgid "k"\nmsgstr "v"\n',
    "an obsolete entry": HEADER + 'msgid "k"\nmsgstr "v"\n#~ msgid "old"\n#~ msgstr "vieux"\n',
    "a key seen twice": HEADER + 'msgid "k"\nmsgstr "v1"\n\nmsgid "k"\nmsgstr "v2"\n',
    "a comment inside an entry": HEADER + 'msgid "k"\n# note\nmsgstr "v"\n',
    "an index beyond nplurals": HEADER
    + 'msgid "k"\nmsgid_plural "k"\nmsgstr[0] "a"\nmsgstr[2] "c"\n',
    "three plural forms": HEADER.replace("nplurals=2", "nplurals=3")
    + 'msgid "k"\nmsgid_plural "k"\nmsgstr[0] "a"\n',
    "a stray string": HEADER + '"stray"\nmsgid "k"\nmsgstr "v"\n',
}


@pytest.mark.parametrize("text", SAMPLES.values(), ids=list(SAMPLES))
def test_what_it_reads_is_what_babel_reads(text: str, tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(text.encode())
    assert po.read(path) == po.read_with_babel(path)


def test_a_catalog_in_another_charset_is_read_by_babel(tmp_path: Path) -> None:
    path = tmp_path / "fr.po"
    path.write_bytes(
        HEADER.replace("UTF-8", "ISO-8859-1").encode() + 'msgid "k"\nmsgstr "é"\n'.encode("latin-1")
    )
    assert po.read(path) == po.read_with_babel(path) == {"k": "é"}
