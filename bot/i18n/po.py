"""Reading the project's .po catalogs, fast: every start reads all of them (about 40 files).

Babel's reader (`babel.messages.pofile.read_po`) builds a full `Catalog` of `Message` objects:
about 0.1 s of CPU at each start for what the bot keeps (key → message), plus 30 ms to import it.
`read` reads the subset of the format our catalogs use — comments, `msgid`, `msgid_plural`,
`msgstr`, `msgstr[n]`, strings continued on the next lines, C escapes — the way Babel reads
it, and hands anything else (a context, an obsolete or a merge-conflict line, a malformed
entry, an index beyond `nplurals`) to Babel, so what it returns is always what Babel would
give (tests/unit/test_translations.py compares both on every catalog).
"""

from __future__ import annotations

import re
from pathlib import Path

Message = str | tuple[str, ...]  # a plain message, or the plural forms of one

# Babel's unescaping of a quoted string (babel.messages.pofile.unescape).
_ESCAPE = re.compile(r'\\([\\abfnrtv"])')
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
_CHARSET = re.compile(r"charset\s*=\s*([\w.-]+)")
_UTF8 = ("utf-8", "utf8")
_DEFAULT_NPLURALS = 2  # Babel's, for a catalog without a Plural-Forms header


class _Unusual(Exception):
    """Something outside the subset: Babel reads the file."""


def _unescape(quoted: str) -> str:
    text = quoted[1:-1]
    if "\\" not in text:
        return text
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m[1], m[1]), text)


def read(path: Path) -> dict[str, Message]:
    """The messages of one catalog, by key (plural ones as their forms), as Babel reads them."""
    data = path.read_bytes()
    try:
        return _read(data)
    except _Unusual:
        return read_with_babel(path)


def read_with_babel(path: Path) -> dict[str, Message]:
    """The same through Babel's reader (any .po file)."""
    from babel.messages.pofile import read_po  # noqa: PLC0415 - only for unusual catalogs

    with path.open("rb") as fh:
        catalog = read_po(fh)
    found: dict[str, Message] = {}
    for m in catalog:
        if isinstance(m.id, tuple | list):
            found[str(m.id[0])] = tuple(str(form) for form in m.string)
        elif m.id:
            found[str(m.id)] = str(m.string)
    return found


def _read(data: bytes) -> dict[str, Message]:
    entries: list[tuple[list[list[str]], list[tuple[int, list[str]]]]] = []
    ids: list[list[str]] = []
    strs: list[tuple[int, list[str]]] = []
    current: list[str] | None = None  # the string that continuation lines extend

    def finish() -> None:
        nonlocal ids, strs, current
        if ids:
            if not strs:
                raise _Unusual  # Babel warns and makes it an empty message
            entries.append((ids, strs))
        ids, strs, current = [], [], None

    for raw in data.split(b"\n"):
        stripped = raw.strip()
        if not stripped:
            continue
        try:
            line = stripped.decode("utf-8")
        except UnicodeDecodeError:
            raise _Unusual from None  # another charset: Babel follows the header's
        if line[0] == "#":
            if line[1:2] in ("~", "-"):
                raise _Unusual
            finish()  # a comment ends the entry before it, as in Babel
            continue
        if line[0] == '"':
            if current is None:
                raise _Unusual
            current.append(line)
            continue
        keyword, _, arg = line.partition(" ")
        arg = arg.strip()
        if keyword == "msgid":
            finish()
            if not arg.startswith('"'):
                raise _Unusual
            current = [arg]
            ids.append(current)
        elif keyword == "msgid_plural":
            if not ids or strs or not arg.startswith('"'):
                raise _Unusual
            current = [arg]
            ids.append(current)
        elif keyword == "msgstr" or keyword.startswith("msgstr["):
            index = 0
            if keyword != "msgstr":
                digits = keyword[len("msgstr[") : -1]
                if not keyword.endswith("]") or not digits.isdigit():
                    raise _Unusual
                index = int(digits)
            if not ids or not arg.startswith('"'):
                raise _Unusual
            current = [arg]
            strs.append((index, current))
        else:
            raise _Unusual  # msgctxt, or not a keyword
    finish()
    return _messages(entries)


def _text(parts: list[str]) -> str:
    return "".join(map(_unescape, parts))


def _messages(
    entries: list[tuple[list[list[str]], list[tuple[int, list[str]]]]],
) -> dict[str, Message]:
    nplurals = _DEFAULT_NPLURALS
    found: dict[str, Message] = {}
    for ids, strs in entries:
        key = _text(ids[0])
        if len(ids) > 2:  # noqa: PLR2004 - msgid and msgid_plural
            raise _Unusual
        if len(ids) == 1:
            if key == "":  # the header: its number of plural forms, and UTF-8 expected
                header = _text(strs[0][1])
                if (charset := _CHARSET.search(header)) and charset[1].lower() not in _UTF8:
                    raise _Unusual
                if match := _NPLURALS.search(header):
                    nplurals = int(match[1])
                continue
            if len(strs) != 1 or strs[0][0] != 0 or key in found:
                raise _Unusual  # plural forms for a plain message, or a key seen twice
            found[key] = _text(strs[0][1])
            continue
        if not key or key in found:
            raise _Unusual
        forms = [""] * nplurals
        for index, parts in sorted(strs):
            if index >= nplurals:
                raise _Unusual
            forms[index] = _text(parts)
        found[key] = tuple(forms)
    return found
