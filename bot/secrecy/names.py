"""Person names, read the way a colleague reads them.

Signals, each yielding ``(kind, start, end)``:

- a civility and a name, in any case (« Mme Dupont », « madame dupuis », « M. DUPUIS »); a title
  (« Mme la juge », « M. le directeur ») and the usual anonymising initial (« Mme X. ») are not
  names;
- a first name and a surname without civility (« Kevin Martin », « Jean-Pierre Gagnon-Tremblay »,
  « DUPONT Marie », « kevin martin »), a first name and an initial (« Léa B. »);
- a first name alone when the text speaks of someone followed or of a child (« le petit Lucas »,
  « Lucas, 8 ans », « la mère de Kevin », « Inès … en CE2 »), unless it greets or answers a
  colleague (« Merci Julie », « Julie, tu as raison ») or names an author or a structure;
- a family by its name (« la famille Tremblay », « chez les Gagnon »);
- the entities that spaCy's French model reads as persons (PER), once places, structures, laws,
  authors and public figures are set aside;
- a foster family by its name (« la famille d'accueil Moreau »), a nickname in quotes set beside
  a person (« « Ti-Jo », le gars qui … »).

What a colleague reads as no one followed: a name addressed to a colleague (« Merci Julie »,
« Tu as raison Karim, … »), a colleague named with their role in the team (« Mme Leroy, la psy
de l'équipe »), a character of a book or film the message is about (« j'ai relu Les Misérables,
Fantine … »), a famous name or a public office holder (« la Défenseure des droits, Claire Hédon »;
``data/secrecy/celebres.txt``), and a PER entity made of ordinary words (« Info Escroqueries »).

First names come from ``data/secrecy/prenoms.txt``; a name that is also a French word (« Rose »)
needs a capital letter and cannot start a sentence.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from bot.secrecy import lexicon as lx
from bot.secrecy.model import Entity
from bot.text import fold

Hit = tuple[str, int, int]
_ACRONYM_MAX = 4  # CAF, ULIS, AEMO: capitals this short are acronyms unless they are surnames
_GAP_MAX = 2  # characters between the parts of a name (« DUPONT, Marie »)
_PLACED = frozenset({"placé", "placée", "placés", "placées"})  # not « place Bellecour »
_DEMONYM_ENDINGS = ("ois", "oise", "ais", "aise", "ien", "ienne", "een", "eenne", "ain", "aine")
_NAME_MIN = 3  # letters of a first name the lists do not know
_ELISION = 2  # « l'», « d'»: a letter and an apostrophe
_SHORTEST_NAME = 2  # « Al », « Bo »: shorter is never a name
_FULL_NAME_PARTS = 2  # a first name and a surname

_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ](?:[\wÀ-ÖØ-öø-ÿ'’]|-(?=[\wÀ-ÖØ-öø-ÿ]))*")


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    start: int
    end: int
    key: str  # folded

    @property
    def capital(self) -> bool:
        return self.text[0].isupper()

    @property
    def upper(self) -> bool:
        return self.text.isupper() and len(self.text) > 1


def words(text: str) -> list[Word]:
    out = []
    for m in _WORD.finditer(text):
        token = m[0]
        # elisions belong to the next word: « l'école » → « école », « d'Inès » → « Inès »
        cut = 0
        if len(token) > _ELISION and token[1] in "'’" and token[0].lower() in "ldjnmstc":
            cut = _ELISION
        else:
            low = token.lower().replace("’", "'")
            for elided in ("jusqu'", "lorsqu'", "puisqu'", "qu'"):
                if low.startswith(elided):
                    cut = len(elided)
                    break
        token = token[cut:].rstrip("'’")
        if token:
            out.append(Word(token, m.start() + cut, m.start() + cut + len(token), fold(token)))
    return out


def _sentence_start(text: str, start: int) -> bool:
    before = text[:start].rstrip(' \u00a0\t«"“(-*•>')
    return not before or before[-1] in ".!?\n:;…"


_SAINTS = frozenset({"saint", "sainte", "st", "ste"})


def _is_first_name(w: Word, text: str, *, opening: bool = False) -> bool:
    """A first name; ``opening``: an ambiguous one may start a sentence (« Rose, 4 ans, … »)."""
    names = lx.first_names()
    parts = w.key.split("-")
    if len(parts) > 1 and parts[0] in _SAINTS:
        return False  # « Saint-Honoré », « Sainte-Julie »: a place
    if w.key not in names and not (len(parts) > 1 and all(p in names for p in parts)):
        return False
    if w.key in lx.FIELD_WORDS or w.key in lx.TITLES or w.key in lx.BIG_PLACES:
        return False
    ambiguous = w.key in names.words or w.key in lx.COMMON_WORDS
    if not w.capital:
        return not ambiguous and len(w.key) > _SHORTEST_NAME
    return not (ambiguous and not opening and _sentence_start(text, w.start))


def _surname_like(w: Word) -> bool:
    """A word that can be a surname after a first name: capitalised, not a word of the field."""
    if w.key in lx.FIELD_WORDS or w.key in lx.TITLES:
        return False
    if w.key in lx.BIG_PLACES and w.key not in lx.surnames():
        return False  # « Julie Savoie », « Marc Brossard »: places that are surnames too
    if w.key in lx.GREETINGS or len(w.key) < _SHORTEST_NAME:
        return False
    if w.capital:
        # an acronym (CAF, ULIS) is not a surname
        return not (w.upper and len(w.key) <= _ACRONYM_MAX and w.key not in lx.surnames())
    return lx.surnames().plain(w.key) or lx.first_names().plain(w.key)


def _not_person_context(ws: list[Word], i: int) -> bool:
    """The name follows « loi », « école », « rue », « selon » …: a law, a place, an author."""
    for back in (1, 2):
        j = i - back
        if j < 0:
            break
        if ws[j].key in lx.NOT_PERSON_BEFORE and ws[j].text.lower() not in _PLACED:
            return True
        if ws[j].key not in {"de", "du", "des", "la", "le", "l"}:
            break
    return False


_FICTION = re.compile(
    r"(?i:\b(?:(?:re)?lu|relis|relire|lire|vu|revu|regard[ée]|[ée]cout[ée])\s+"
    r"(?:[«\"“]\s*(?:(?:les?|la|l['’]|un|une)\s*)?|(?:les?|la|l['’]|un|une)\s*)(?-i:[A-ZÀ-Ý\d])|"
    r"\b(?:(?:re)?lu|relis|relire|lire)\s+(?-i:[A-ZÀ-Ý])|\b(?:roman|conte|film|s[ée]rie|livre|bouquin|personnage|h[ée]ro[ïi]ne|"
    r"t[ée]l[ée]-?s[ée]rie|dessin\s+anim[ée]|bande\s+dessin[ée]e|novel|movie|character|"
    r"fairy\s+tale|disney)s?\b|\bcomme\s+dans\s+(?-i:[A-ZÀ-Ý]))"
)
_OFFICE_BEFORE = re.compile(
    r"(?i:\b(?:d[ée]fenseure?\s+des\s+droits|ministre|pr[ée]sidente?|protect(?:eur|rice)\s+du\s+"
    r"citoyen|commissaire|s[ée]nat(?:eur|rice)|d[ée]put[ée]e?|premi(?:er|[èe]re)\s+ministre|"
    r"porte-parole|secr[ée]taire\s+d['’][ée]tat|d[ée]l[ée]gu[ée]e?\s+interminist[ée]riel(?:le)?|"
    r"haute?-commissaire)\b[^.!?\n]{0,40},\s*$)"
)


_TITLE_BEFORE = lx.words(
    "juge procureur procureure substitut avocat avocate maitre commissaire inspecteur "
    "inspectrice capitaine lieutenant commandant professeur professeure"
)
_EVENT_BEFORE = re.compile(
    r"(?i:\b(?:formation|webinaire|webinar|conf[ée]rence|colloque|s[ée]minaire|atelier|"
    r"journ[ée]e\s+d['’][ée]tudes?|masterclass|table\s+ronde|podcast|[ée]mission|interview|"
    r"entrevue|livre|ouvrage|article|th[ée]orie|approche|m[ée]thode)s?\b[^.!?\n]{0,30}?"
    r"\b(?:avec|de|d['’]|par|anim[ée]e?\s+par|donn[ée]e?\s+par|sign[ée]e?\s+par)\s*$)"
)


def _speaker_or_title(text: str, ws: list[Word], i: int) -> bool:
    """« le juge Martin », « une formation avec Isabelle Filliozat »: a professional, a speaker."""
    if i > 0 and ws[i - 1].key in _TITLE_BEFORE:
        return True
    return _EVENT_BEFORE.search(text[max(0, ws[i].start - 60) : ws[i].start]) is not None


def _fiction_without_age(text: str) -> bool:
    """A message about a book or a film that gives nobody's age: its names are characters."""
    return _FICTION.search(text) is not None and _AGE.search(text) is None


def _colleague_before(text: str, start: int) -> bool:
    """« ma collègue Julie Martin », « notre cheffe, Anne Roy »: someone of the team."""
    return _COLLEAGUE_BEFORE.search(text[max(0, start - 40) : start]) is not None


_FIRST_TOKEN = re.compile(r"[^\s'’-]+")


def famous_at(text: str, start: int) -> bool:
    """A famous or fictional name (``celebres.txt``) starts at ``start`` (« Claire Hédon »)."""
    first = _FIRST_TOKEN.match(text, start)
    if first is None:
        return False
    candidates = lx.famous_by_first().get(fold(first[0]), ())
    if not candidates:
        return False
    head = fold(text[start : start + 40])
    return any(
        head.startswith(name) and not head[len(name) : len(name) + 1].isalnum()
        for name in candidates
    )


def _public_office(text: str, start: int) -> bool:
    """« la Défenseure des droits, Claire Hédon »: a name set beside a public office."""
    return _OFFICE_BEFORE.search(text[max(0, start - 60) : start]) is not None


def _plain_words(ws: Sequence[Word]) -> bool:
    """Every word an ordinary French (or English) word, none a name: « Info Escroqueries »."""
    words = lx.french_words()
    for w in ws:
        key = w.key
        if key in lx.ENGLISH_WORDS:
            continue  # « Any » is also a first name in the list
        if key in lx.first_names() or lx.surnames().plain(key):
            return False
        singular = key[:-1] if key.endswith(("s", "x")) else key
        parts = key.split("-")  # « English-speaking »
        compound = len(parts) > 1 and all(p in words or p in lx.ENGLISH_WORDS for p in parts)
        if key not in words and singular not in words and not compound:
            return False
    return True


_STAFF_ROLE = (
    r"psy|psychologue|psychiatre|cheffe?(?:\s+de\s+service)?|directrice|directeur|"
    r"coordonnat(?:rice|eur)|coordinat(?:rice|eur)|format(?:rice|eur)|superviseu(?:r|re|se)|"
    r"stagiaire|coll[èe]gue|[ée]ducat(?:rice|eur)|[ée]duc|AS|assistante?\s+sociale?|"
    r"infirmi[èe]re?|m[ée]decin|secr[ée]taire|r[ée]f[ée]rente?|intervenante?|"
    r"travailleuse\s+sociale|travailleur\s+social|TS|conseill[eè]re?|animat(?:rice|eur)|"
    r"responsable|cadre|gestionnaire|juriste|avocate?|pr[ée]sidente?|p[ée]dopsychiatre|"
    r"p[ée]diatre|g[ée]n[ée]raliste|neurologue|orthophoniste|ergoth[ée]rapeute|notaire|huissier|"
    r"procureure?|substitute?|magistrate?|greffi[èe]re?"
)
_COLLEAGUE_BEFORE = re.compile(
    r"(?i:\b(?:(?:ma|mon|notre|nos|une?|la|le)\s+(?:nouvelle?\s+|nouveau\s+|ancienne?\s+)?"
    r"(?:coll[èe]gue|cheffe?(?:\s+de\s+service)?|stagiaire|superviseu(?:r|re|se)|"
    r"coordonnat(?:rice|eur)|binôme|binome|co-?r[ée]f[ée]rente?)s?|"
    r"(?:ma|mon|notre|nos)\s+(?:nouvelle?\s+|nouveau\s+|ancienne?\s+)?(?:" + _STAFF_ROLE + r")s?)"
    r"\s*,?\s*$)"
)


# ------------------------------------------------------------------------------------ civility
_CIVILITY = re.compile(
    r"(?<![\w.])(?:(?i:madame|monsieur|mademoiselle|mme|mlle|mrs|mr|ms|dr|docteur|docteure)\.?"
    r"|M\.?|(?i:mme|mr)\.)(?=[ \u00a0\u202f])"
)
_CIVILITY_WORDS = frozenset(
    [
        "madame",
        "monsieur",
        "mademoiselle",
        "mme",
        "mlle",
        "m",
        "mr",
        "mrs",
        "ms",
        "dr",
        "docteur",
        "docteure",
        "pr",
        "professeur",
        "me",
    ]
)
_PARTICLES = {"de", "du", "des", "d", "van", "von", "da", "di", "ben", "el", "al", "le", "la"}
# professions that serve the people followed (« le Dr Roy, pédopsychiatre au CHU »)
_CARE_PROFESSION = (
    r"psy|psychologue|psychiatre|p[ée]dopsychiatre|p[ée]diatre|m[ée]decin|g[ée]n[ée]raliste|"
    r"neurologue|orthophoniste|avocate?|juge|notaire|juriste|procureure?|greffi[èe]re?"
)
# « Mme Leroy, la psy de l'équipe », « M. Roy, notre chef de service »: a colleague, not a case
_COLLEAGUE_AFTER = re.compile(
    r"\s*,\s*(?i:(?:(?:la|le|l['’]|une?)\s*(?:nouvelle?\s+|nouveau\s+)?(?:" + _STAFF_ROLE + r")"
    r"\b[^.!?\n,]{0,25}?\b(?:de\s+l['’][ée]quipe|du\s+service|de\s+notre|du\s+p[ôo]le|"
    r"de\s+l['’]unit[ée]|de\s+la\s+structure|de\s+l['’]association|du\s+r[ée]seau)|"
    r"(?:notre|ma|mon|nos)\s+(?:nouvelle?\s+|nouveau\s+)?(?:" + _STAFF_ROLE + r")|"
    r"(?:" + _CARE_PROFESSION + r")\s+(?:au|[àa]\s+la|[àa]\s+l['’]|du|de\s+la|de\s+l['’]|chez)\s*"
    r"(?=(?-i:[A-ZÀ-Ý])))\b)"
)


def civility_names(text: str, ws: list[Word]) -> Iterator[Hit]:
    index = {w.start: i for i, w in enumerate(ws)}
    for m in _CIVILITY.finditer(text):
        j = m.end()
        while j < len(text) and text[j] in " \u00a0\u202f":
            j += 1
        i = index.get(j)
        if i is None:
            continue
        w = ws[i]
        # « Mme de Villiers »: a particle, then a capitalised name
        if w.key in _PARTICLES and i + 1 < len(ws) and ws[i + 1].capital:
            if ws[i + 1].key not in lx.TITLES and ws[i + 1].key not in lx.FIELD_WORDS:
                yield "civility_name", m.start(), ws[i + 1].end
            continue
        if w.key in lx.TITLES or w.key in lx.FIELD_WORDS or w.key in lx.GREETINGS:
            continue
        if len(w.text) == 1:
            continue  # « Mme X. »: the usual anonymisation
        if not w.capital:
            # « madame dupuis »: a lower-case word counts when it is a name and not a word
            if not (lx.surnames().plain(w.key) or lx.first_names().plain(w.key)):
                continue
        elif w.key in lx.PUBLIC_FIGURES:
            continue
        end = w.end
        if i + 1 < len(ws) and ws[i + 1].start - end <= 1 and ws[i + 1].capital:
            end = ws[i + 1].end if _surname_like(ws[i + 1]) else end
        if _COLLEAGUE_AFTER.match(text, end) or famous_at(text, w.start):
            continue
        if _colleague_before(text, m.start()):
            continue
        yield "civility_name", m.start(), end


# ------------------------------------------------------------------------------------ full names
_INITIAL_AFTER = re.compile(r"[ \u00a0]([A-ZÀ-Ý])\.(?!\w)")


def full_names(text: str, ws: list[Word]) -> Iterator[Hit]:
    starts = {w.start: i for i, w in enumerate(ws)}
    for kind, start, end in _full_name_candidates(text, ws):
        i = starts[start]
        if famous_at(text, start) or _public_office(text, start):
            continue
        if _colleague_before(text, start) or _speaker_or_title(text, ws, i):
            continue
        if _fiction_without_age(text):
            continue
        yield kind, start, end


def _full_name_candidates(text: str, ws: list[Word]) -> Iterator[Hit]:
    for i, w in enumerate(ws):
        if w.key in lx.PUBLIC_FIGURES or _not_person_context(ws, i):
            continue
        first = _is_first_name(w, text)
        nxt = ws[i + 1] if i + 1 < len(ws) else None
        gap = text[w.end : nxt.start] if nxt is not None else ""
        adjacent = 0 < len(gap) <= _GAP_MAX and " " in gap and not any(c in gap for c in ".!?;:")
        if first:
            m = _INITIAL_AFTER.match(text, w.end)
            if m and w.capital:  # « Léa B. »
                yield "name", w.start, m.end()
                continue
            if adjacent and nxt is not None and nxt.key not in lx.PUBLIC_FIGURES:
                both_lower = not w.capital and not nxt.capital
                # « Any English-speaking … »: an English word that is also a first name, then words
                english = w.key in lx.ENGLISH_WORDS and _plain_words([w, nxt])
                if (w.capital and nxt.capital and _surname_like(nxt) and not english) or (
                    both_lower and lx.surnames().plain(nxt.key) and nxt.key not in lx.TITLES
                ):
                    yield "name", w.start, nxt.end
                    continue
        elif (
            adjacent
            and nxt is not None
            and not w.capital
            and not nxt.capital
            and w.key in lx.first_names()
            and w.key not in lx.FIELD_WORDS
            and w.key not in lx.TITLES
            and nxt.key not in lx.TITLES
            and not text[w.end : nxt.start].strip()
            and lx.surnames().plain(nxt.key)
            and nxt.key not in lx.first_names()
        ):  # « marine dubois »: an ambiguous first name before a plain surname
            yield "name", w.start, nxt.end
            continue
        # « DUPONT Marie », « TREMBLAY, Julie »: a surname in capitals, then a first name
        if (
            w.upper
            and len(w.key) > _SHORTEST_NAME
            and w.key not in lx.FIELD_WORDS
            and nxt is not None
        ):
            gap = text[w.end : nxt.start]
            short_gap = gap.strip() in {"", ","} and len(gap) <= _GAP_MAX
            if short_gap and nxt.capital and not nxt.upper and _is_first_name(nxt, text):
                yield "name", w.start, nxt.end


# ------------------------------------------------------------------------------------ nicknames
_NICKNAME = re.compile(
    r"(?i:\b(?:surnomm[ée]e?s?|qu['’]on\s+(?:surnomme|appelle)|qu['’]ils?\s+(?:surnomment|"
    r"appellent)|alias|son\s+surnom|(?:dit|dite)\s+[«\"“]))"
)


# « « Ti-Jo », le gars qui … », « "La Puce", la petite de … »: a name in quotes beside a person
_QUOTED_NICKNAME = re.compile(
    r"[«\"“]\s*(?P<nick>[A-ZÀ-Ý][^»\"”\n]{0,24}?)\s*[»\"”]\s*,\s*"
    r"(?i:(?:le|la|l['’]|ce|cette|un|une|notre|mon|ma)\s*(?:petit\s+|petite\s+|vieux\s+|vieille\s+|"
    r"jeune\s+)?(?:gars|gar[çc]on|fille|gamin|gamine|jeune|ado|dame|madame|monsieur|homme|femme|mec|"
    r"type|vieux|vieille|petit|petite|m[èe]re|p[èe]re|usag[eè]re?|r[ée]sidente?)|"
    r"celui|celle|the\s+(?:guy|kid|girl|boy|man|woman|lady))\b"
)


# « Je me présente : Aurélie, 32 ans », « moi c'est Karim »: the member introduces themself
_SELF_NAMING = re.compile(
    r"(?i:\b(?:je\s+me\s+pr[ée]sente|je\s+m['’]appelle|moi\s*,?\s*c['’]est|c['’]est\s+moi|"
    r"my\s+name\s+is|i['’]m|ici\s+c['’]est)\s*[:,]?\s*$)"
)
_SAYING = re.compile(r"(?i:\b(?:on|je|tu|il|elle|nous|vous|ils|elles|comme)\s+$)")


def nicknames(text: str) -> Iterator[Hit]:
    for m in _NICKNAME.finditer(text):
        if _SAYING.search(text, 0, m.start()):
            continue  # « on dit « le petit Prince » »: a saying, not a nickname
        if re.match(r"\s*[«\"“]?\s*\S", text[m.end() : m.end() + 5]):
            yield "name", m.start(), m.end()
    for m in _QUOTED_NICKNAME.finditer(text):
        yield "name", m.start("nick"), m.end("nick")


# ------------------------------------------------------------------------------------ families
_FAMILY = re.compile(
    r"(?i:\b(?:(?:la\s+)?famille\s+d['’]accueil|la\s+famille|le\s+clan|la\s+fratrie|chez\s+les|"
    r"les\s+(?:(?:\d{1,2}|deux|trois|quatre|cinq|six)\s+)?(?:enfants|petits|gamins|ados|filles|"
    r"gar[çc]ons)|le\s+couple|les\s+parents)\s+)(?P<name>[A-ZÀ-Ý][\wÀ-ÿ'’\-]+)"
)


# « chez les Verhaegen », « la fille des Gagnon », « a Cree family, the Whitfields »: a household by
# its name in the plural (the French plural keeps the name as it is, the English adds an s)
_PLURAL_FAMILY = re.compile(
    r"\b(?i:les|des|aux)\s+(?P<name>[A-ZÀ-Ý][a-zà-ÿ'’]+(?:-[A-ZÀ-Ý][a-zà-ÿ'’]+)?)(?![\w-])"
)
_ENGLISH_FAMILY = re.compile(
    r"(?i:\bfamil(?:y|ies)\s*,\s*the|\bthe)\s+(?P<name>(?-i:[A-Z][a-z]+))s\b(?!['’]?\s+(?-i:[A-Z]))"
)


def _plural_family(text: str, m: re.Match[str]) -> bool:
    """« les Verhaegen »: a plain surname, neither a word, a people, a place nor a title."""
    key = fold(m["name"])
    if _sentence_start(text, m.start()) and m.group(0)[0].isupper():
        return False  # « Les Misérables … »: a title opens the sentence
    if key in lx.BIG_PLACES or key in lx.FIELD_WORDS or key in lx.PUBLIC_FIGURES:
        return False
    if key.endswith(_DEMONYM_ENDINGS) or key in lx.french_words():
        return False
    return lx.surnames().plain(key) and not famous_at(text, m.start("name"))


def families(text: str) -> Iterator[Hit]:
    for m in _PLURAL_FAMILY.finditer(text):
        if _plural_family(text, m):
            yield "name", m.start("name"), m.end("name")
    for m in _ENGLISH_FAMILY.finditer(text):
        key = fold(m["name"])
        named = m.group(0).lower().startswith("famil")
        if key in lx.BIG_PLACES or key in lx.ENGLISH_WORDS or key in lx.french_words():
            continue
        if named or (lx.surnames().plain(key) and key not in lx.first_names()):
            yield "name", m.start("name"), m.end("name")
    for m in _FAMILY.finditer(text):
        key = fold(m["name"])
        if key in lx.FIELD_WORDS or key in lx.TITLES:
            continue
        if key in lx.BIG_PLACES and key not in lx.surnames():
            continue
        if m["name"].isupper() and len(key) <= _ACRONYM_MAX and key not in lx.surnames():
            continue
        yield "name", m.start("name"), m.end("name")


# ------------------------------------------------------------------------------------ lone names
_AGE = re.compile(r"\b\d{1,2}\s*(?:ans|an|mois)\b|\b(?:âg[ée]e?|age)\s+de\s+\d", re.IGNORECASE)
_ANSWERING = re.compile(
    r"(?i:\b(?:comme\s+(?:le\s+)?(?:dit|disait|dis|propose|sugg[èe]re)|d['’]accord\s+avec|"
    r"je\s+rejoins|merci\s+[àa]|r[ée]ponse\s+[àa]|selon|d['’]apr[èe]s|avec\s+toi|pour\s+toi|"
    r"(?:tu\s+as|t['’]as|vous\s+avez|as|avez)\s+(?:bien\s+)?raison|bien\s+(?:vu|dit|jou[ée])|"
    r"exactement|tout\s+[àa]\s+fait)\s*,?\s*$)"
)
_ADDRESSING_AFTER = re.compile(
    r"^\s*(?:[,!:]\s*(?:tu|t['’]|ton|ta|tes|as-tu|peux-tu|vous|votre|merci|je|j['’]|moi|"
    r"on|oui|non|bonne|super|bravo|excellent|entièrement|tout\s+à\s+fait|c['’]est)|"
    r"\s+(?:a\s+raison|avait\s+raison|a\s+bien\s+(?:dit|résumé)))",
    re.IGNORECASE,
)


_AGE_AFTER = re.compile(
    r"\s*[,(]?\s*(?:[A-ZÀ-Ý]\.\s*,?\s*)?(?:\d{1,2}\s*(?:ans|mois)\b|qui\s+a\s+\d|"
    r"(?:en\s+)?(?:cp|ce1|ce2|cm1|cm2|\d(?:e|ème)|sec(?:ondaire)?\s*\d)\b)",
    re.IGNORECASE,
)


def _person_cue(ws: list[Word], text: str) -> bool:
    """The text speaks of a followed person or a child (not only of colleagues)."""
    if _AGE.search(text):
        return True
    keys = {w.key for w in ws}
    return bool(keys & (lx.CHILD | lx.SCHOOL | lx.PERSON_ROLE))


def _addressing(text: str, ws: list[Word], i: int) -> bool:
    """« Merci Julie », « Julie, tu as raison », « comme dit Julie », « @Julie »: a colleague."""
    w = ws[i]
    if text[max(0, w.start - 1) : w.start] == "@":
        return True
    if i > 0 and ws[i - 1].key in lx.GREETINGS:
        return True
    if _ANSWERING.search(text[max(0, w.start - 30) : w.start]):
        return True
    if _ADDRESSING_AFTER.match(text[w.end : w.end + 40]):
        return True
    if _vocative(text, w):
        return True
    tail = text[w.end :].strip(" \u00a0!.)\n")
    return not tail and text[: w.start].rstrip().endswith(("—", "-", "\n"))  # a signature


_SECOND_PERSON = re.compile(r"(?i:\b(?:tu|toi|te|ton|ta|tes|t['’](?=\w)))")
_CLAUSE_END = re.compile(r"\s*(?:[,!?…]|\.(?!\w)|$)")


def _vocative(text: str, w: Word) -> bool:
    """« Je te le renvoie, Sophie. », « Tu viens, Marc ? »: the colleague spoken to."""
    if not _CLAUSE_END.match(text, w.end) or _AGE_AFTER.match(text, w.end):
        return False
    if not text[: w.start].rstrip().endswith(","):
        return False  # « Tu connais Kevin ? » speaks of Kevin
    clause_start = max(text.rfind(c, 0, w.start) for c in ".!?\n") + 1
    return _SECOND_PERSON.search(text, clause_start, w.start) is not None


def _near_person_cue(ws: list[Word], i: int, text: str) -> bool:
    """A cue right next to the name: « le petit X », « la mère de X », « X, 8 ans », « X (CE2) »."""
    for back in (1, 2, 3):
        j = i - back
        if j < 0:
            break
        if ws[j].key in lx.CHILD or ws[j].key in lx.PERSON_ROLE:
            return True
    if _AGE_AFTER.match(text, ws[i].end):
        return True
    return any(w.key in lx.SCHOOL for w in ws[i + 1 : i + 8])


_STRICT_AGE_AFTER = re.compile(r"\s*(?:,\s*|\(\s*)\d{1,2}\s*(?:ans|mois)\b", re.IGNORECASE)
_CHILD_BEFORE = frozenset({"petit", "petite", "ptit", "ptite", "jeune", "bebe", "gamin", "gamine"})


def _unknown_name_of_child(text: str, ws: list[Word], i: int) -> bool:
    """A capitalised word the lists do not know, said the way a child's first name is."""
    w = ws[i]
    if not w.capital or w.upper or len(w.key) < _NAME_MIN:
        return False
    if w.key in lx.FIELD_WORDS or w.key in lx.TITLES or w.key in lx.BIG_PLACES:
        return False
    if w.key in lx.GREETINGS or w.key in lx.surnames().words or w.key in lx.first_names().words:
        return False
    if w.key in lx.french_words() or w.key.endswith(_DEMONYM_ENDINGS):
        return False  # « le petit Prince », « le jeune Québécois »
    if _PLACE_BEFORE.search(text, 0, w.start):
        return False  # « à Chibougamau, 5 ans en protection »: a place
    if i > 0 and famous_at(text, ws[i - 1].start):
        return False  # « le petit Prince »
    after_child = i > 0 and ws[i - 1].key in _CHILD_BEFORE and not _sentence_start(text, w.start)
    return after_child or _STRICT_AGE_AFTER.match(text, w.end) is not None


def lone_names(text: str, ws: list[Word], taken: Sequence[tuple[int, int]]) -> Iterator[Hit]:
    cue = None
    fiction = None
    for i, w in enumerate(ws):
        if any(s <= w.start < e for s, e in taken):
            continue
        if w.key in lx.PUBLIC_FIGURES or _not_person_context(ws, i):
            continue
        if _speaker_or_title(text, ws, i):
            continue
        age_after = _AGE_AFTER.match(text, w.end) is not None
        if not _is_first_name(w, text, opening=age_after):
            if _unknown_name_of_child(text, ws, i):  # « la petite Ayanna », « Kenzo, 15 ans »
                yield "name", w.start, w.end
            continue
        if _addressing(text, ws, i) or _SELF_NAMING.search(text, 0, w.start):
            continue
        if age_after or _near_person_cue(ws, i, text):
            if not famous_at(text, w.start) and not (i > 0 and famous_at(text, ws[i - 1].start)):
                yield "name", w.start, w.end
            continue
        if fiction is None:
            fiction = _FICTION.search(text) is not None
        if fiction or famous_at(text, w.start):
            continue  # « J'ai relu Les Misérables, Fantine … »: a character
        if cue is None:
            cue = _person_cue(ws, text)
        if cue and (w.capital or lx.first_names().plain(w.key)):
            yield "name", w.start, w.end


# ------------------------------------------------------------------------------------ model
def model_names(
    text: str, ws: list[Word], entities: Sequence[Entity], taken: Sequence[tuple[int, int]]
) -> Iterator[Hit]:
    starts = {w.start: i for i, w in enumerate(ws)}
    cue = None
    for ent in entities:
        if ent.label != "PER" or any(s < ent.end and ent.start < e for s, e in taken):
            continue
        inside = [w for w in ws if ent.start <= w.start < ent.end]
        if not inside:
            continue
        first_i = starts.get(inside[0].start)
        if first_i is None:
            continue
        keys = [w.key for w in inside]
        if any(k in lx.PUBLIC_FIGURES for k in keys) or _not_person_context(ws, first_i):
            continue
        if famous_at(text, ent.start) or _public_office(text, ent.start):
            continue
        if _colleague_before(text, ent.start) or _speaker_or_title(text, ws, first_i):
            continue
        if _fiction_without_age(text) or _SELF_NAMING.search(text, 0, ent.start):
            continue
        if inside[0].key.split("-")[0] in _SAINTS:
            continue  # « Saint-Honoré », « Sainte Adèle »: a place or a church
        meaningful = [
            w
            for w in inside
            if len(w.key) > 1  # initials are the usual anonymisation
            and w.key not in _CIVILITY_WORDS
            and w.key not in lx.FIELD_WORDS
            and w.key not in lx.TITLES
            and w.key not in lx.BIG_PLACES
            and w.key not in lx.GREETINGS
            and not (w.upper and len(w.key) <= _ACRONYM_MAX)
        ]
        if not meaningful or any(not w.capital for w in meaningful):
            continue
        if _preceded_by_structure(ws, first_i):
            continue
        if _addressing(text, ws, first_i) or _addressing(text, ws, starts[meaningful[0].start]):
            continue
        if _plain_words(meaningful):
            continue  # « Info Escroqueries », « Any German-speaking »: words, not a name
        if len(meaningful) >= _FULL_NAME_PARTS:
            yield "name", ent.start, ent.end
            continue
        w = meaningful[0]
        if _sentence_start(text, w.start) and (
            w.key not in lx.first_names() or w.key in lx.first_names().words
        ):
            continue  # spaCy reads many capitalised sentence openers as persons
        if w.key in lx.COMMON_WORDS or w.key in lx.surnames().words:
            continue
        if w.key in lx.french_words() and w.key not in lx.first_names():
            continue  # « Revue Esprit »: a capitalised ordinary word
        if w.key not in lx.first_names() and _PLACE_BEFORE.search(text, 0, w.start):
            continue  # « je travaille à Aurillac »: a place spaCy took for a person
        if _near_person_cue(ws, starts[w.start], text):
            yield "name", w.start, w.end
            continue
        if cue is None:
            cue = _person_cue(ws, text) and _FICTION.search(text) is None
        if cue:
            yield "name", w.start, w.end


_PLACE_BEFORE = re.compile(r"(?i:\b(?:[àa]|au|en|in|from|pr[èe]s\s+de|vers|sur)\s+$)")


def _preceded_by_structure(ws: list[Word], i: int) -> bool:
    """« la DPJ de Laval », « le CISSS de la Montérégie »: a place after a structure."""
    j = i - 1
    while j >= 0 and ws[j].key in {"de", "du", "des", "la", "le", "l", "d", "a", "au", "en"}:
        j -= 1
    if j < 0 or j == i - 1:
        return False
    prev = ws[j]
    return prev.upper or prev.key in lx.FIELD_WORDS or prev.key in lx.NOT_PERSON_BEFORE
