"""The words the guard reads names and contexts with.

The two name lists are shipped in ``data/secrecy/`` (sources and licences in its SOURCES.md);
everything else here is a short hand-written list. All comparisons use ``bot.text.fold``
(no case, no accents).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Final

from bot.text import fold

DATA: Final = Path(__file__).resolve().parents[2] / "data" / "secrecy"


class NameList:
    """Folded names, with those that are also ordinary French words set apart."""

    def __init__(self, path: Path) -> None:
        self.names: frozenset[str]
        self.words: frozenset[str]
        names: set[str] = set()
        words: set[str] = set()
        for line in path.read_text(encoding="utf-8").splitlines():
            if not line or line.startswith("#"):
                continue
            name, _, mark = line.partition(" ")
            key = fold(name)
            names.add(key)
            if mark.strip() == "~":
                words.add(key)
        self.names = frozenset(names)
        self.words = frozenset(words)

    def __contains__(self, key: str) -> bool:
        return key in self.names

    def plain(self, key: str) -> bool:
        """A name that is not also an ordinary word."""
        return key in self.names and key not in self.words and key not in COMMON_WORDS


@cache
def first_names() -> NameList:
    return NameList(DATA / "prenoms.txt")


@cache
def surnames() -> NameList:
    return NameList(DATA / "noms.txt")


@cache
def french_words() -> frozenset[str]:
    """Lemmas of ordinary French words (``data/secrecy/mots.txt``), folded."""
    lines = (DATA / "mots.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line) for line in lines if line and not line.startswith("#"))


def words(text: str) -> frozenset[str]:
    """The folded words of a space-separated list."""
    return frozenset(fold(w) for w in text.split())


_words = words


def _lines(name: str) -> frozenset[str]:
    """The folded lines of a shipped list (``#`` starts a comment line)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(fold(line.strip()) for line in lines if line.strip() and line[0] != "#")


@cache
def communities() -> frozenset[str]:
    """First Nations and Inuit communities (``communautes.txt``): small places, always."""
    return _lines("communautes.txt")


@cache
def famous_by_first() -> dict[str, tuple[str, ...]]:
    """The famous names grouped by their first word (« claire » → « claire hedon »)."""
    groups: dict[str, list[str]] = {}
    for name in famous():
        groups.setdefault(re.split(r"[\s'’-]", name, maxsplit=1)[0], []).append(name)
    return {first: tuple(names) for first, names in groups.items()}


@cache
def famous() -> frozenset[str]:
    """Fictional characters, famous cases and public figures (``celebres.txt``), folded.

    A single word that is also a first name (« Fanny », « Marius ») is left out: a child can
    bear it; the fiction cues of ``names`` handle the character.
    """
    return frozenset(
        name for name in _lines("celebres.txt") if " " in name or name not in first_names()
    )


# Words that can follow a civility without being a name.
TITLES: Final = _words(
    "le la les l un une des du de mon ma mes ton ta son sa ses notre votre leur ce cet cette "
    "et ou mais donc car ni or si puis ensuite alors enfin bref bon bien oui non merci "
    "est a va fait dit veut peut doit sera etait avait vient part reste "
    "bonjour bonsoir salut hello voila quand comme dans pour par sur sous avec sans chez "
    "depuis apres avant pendant aujourd demain hier tout tous toute toutes rien personne "
    "quelqu ca cela ceci la qui que quoi dont "
    "juge juges maire mairesse directeur directrice president presidente ministre prefet "
    "prefete procureur procureure professeur professeure docteur docteure dr maitre avocat "
    "avocate educateur educatrice intervenant intervenante curateur curatrice tuteur tutrice "
    "chef cheffe responsable madame monsieur mademoiselle substitut conseiller conseillere "
    "depute deputee senateur senatrice commissaire inspecteur inspectrice agent agente "
    "policier policiere travailleur travailleuse psychologue infirmier infirmiere medecin "
    "pediatre psychiatre pr tout-le-monde x y z"
)

# Acronyms and words of the field that look like names to a careless reader.
FIELD_WORDS: Final = _words(
    "as es ase dpj caf clsc ccas chrs ciusss cisss mdph pmi je spip pjj aemo aed rsa ip cmp "
    "mecs itep ime esat dasen cpam css ame rsa apl psl ramq saaq cnesst lpj casf cpe cegep "
    "ehpad chsld rpa ulis segpa uems ase odpe crip oned cdaph cjm cpas sap spj ssq "
    "juge tribunal cour enfants jeunesse famille familles ecole college lycee polyvalente "
    "centre foyer maison hopital chu clinique service services departement region "
    "conseil mairie commune ville village quartier secteur equipe unite pole "
    "lundi mardi mercredi jeudi vendredi samedi dimanche janvier fevrier mars avril mai juin "
    "juillet aout septembre octobre novembre decembre noel paques toussaint "
    "france quebec canada belgique suisse europe afrique maghreb "
    "madame monsieur mme mlle mr ms merci bonjour bonsoir salut coucou hello bravo "
    "oui non ok svp stp cf etc nb ps rdv revue journal magazine editions collection"
)

# Places a colleague names without pointing at anyone: large cities and regions (the words below,
# and ``grands_lieux.txt``: regions, départements, provinces, cantons, cities of ~50,000 and more).
_BIG_PLACE_WORDS: Final = _words(
    "paris marseille lyon toulouse nice nantes montpellier strasbourg bordeaux lille rennes "
    "reims toulon grenoble dijon angers nimes villeurbanne clermont-ferrand aix-en-provence "
    "brest tours amiens limoges metz besancon perpignan orleans rouen caen nancy argenteuil "
    "montreuil roubaix tourcoing avignon poitiers pau calais dunkerque mulhouse "
    "montreal quebec laval gatineau longueuil sherbrooke saguenay levis trois-rivieres terrebonne "
    "brossard repentigny drummondville granby rimouski montérégie monteregie laurentides "
    "lanaudiere outaouais estrie mauricie abitibi gaspesie bas-saint-laurent cote-nord "
    "chaudiere-appalaches capitale-nationale nord-du-quebec "
    "bruxelles liege charleroi namur anvers gand mons geneve lausanne fribourg neuchatel "
    "berne zurich bale sion "
    "ile-de-france normandie bretagne occitanie provence alsace lorraine auvergne aquitaine "
    "nouvelle-aquitaine hauts-de-france grand-est bourgogne pays-de-la-loire corse "
    "seine-saint-denis val-de-marne hauts-de-seine nord pas-de-calais rhone gironde "
    "france quebec canada belgique suisse wallonie flandre"
)
# a place that is also a first name (« Aude », « Antony ») stays a possible first name
BIG_PLACES: Final = _BIG_PLACE_WORDS | (_lines("grands_lieux.txt") - first_names().names)

# Public figures, authors and namesakes of laws a colleague cites without naming anyone followed.
PUBLIC_FIGURES: Final = _words(
    "freud winnicott dolto bowlby rogers maslow bourdieu goffman castel paugam piaget montessori "
    "freinet korczak tomkiewicz cyrulnik oury tosquelles foucault lacan klein bion erikson "
    "bronfenbrenner ainsworth berger jung adler satir minuchin bateson watzlawick karpman "
    "ricoeur levinas arendt sartre beauvoir camus hugo zola jaures ferry moulin curie "
    "macron borne attal barnier bayrou lecornu hollande sarkozy chirac mitterrand taquet "
    "laforcade borloo veil badinter legault trudeau carney poilievre charest couillard "
    "marois laurent lionel-groulx"
) | frozenset(name for name in famous() if " " not in name)

# Words before a name-looking word that make it a place, a structure or a citation.
NOT_PERSON_BEFORE: Final = _words(
    "loi lois rapport rapports methode approche theorie modele selon cf syndrome maladie "
    "prix fondation rue avenue boulevard bd boul chemin allee impasse place quai pont route rang "
    "ecole college lycee polyvalente cegep universite hopital chu chsld ehpad foyer centre "
    "maison residence pavillon saint sainte st ste institut clinique metro station parc salle "
    "stade gare aeroport eglise paroisse mosquee synagogue temple quartier cite campus "
    "amendement decret arrete circulaire plan programme dispositif protocole echelle test "
    "grille bilan pr professeur professeure film films livre livres ouvrage roman article "
    "documentaire podcast conference series serie auteur autrice chercheur chercheuse "
    "sociologue philosophe ecrivain ecrivaine realisateur realisatrice chanteur chanteuse "
    "ministre depute deputee senateur senatrice president presidente premier premiere "
    "emission chronique these colloque"
)

SCHOOL: Final = _words(
    "ecole classe cp ce1 ce2 cm1 cm2 maternelle primaire secondaire college lycee polyvalente "
    "cegep garderie cpe creche sixieme cinquieme quatrieme troisieme seconde premiere terminale "
    "6e 5e 4e 3e 2nde 1ere ulis segpa sec maternel prematernelle"
)

CHILD: Final = _words(
    "petit petite fils fille bebe enfant enfants ado ados adolescent adolescente jeune gamin "
    "gamine garcon fillette nourrisson mineur mineure eleve neveu niece ptit ptite"
)

# Nouns for the people a social worker follows, and family roles.
PERSON_ROLE: Final = _words(
    "usager usagere patient patiente resident residente beneficiaire client cliente "
    "accompagne accompagnee suivi suivie jeune ado mere pere maman papa frere soeur "
    "grand-mere grand-pere mamie papi conjoint conjointe mari epouse femme chum blonde "
    "copain copine compagnon compagne ex beau-pere belle-mere tante oncle cousin cousine "
    "voisin voisine ami amie fils fille enfant bebe petit petite neveu niece "
    "monsieur madame dame homme gars mec"
)

# Ordinary lower-case words that the name lists carry and a chat uses (never names in lower case).
COMMON_WORDS: Final = _words(
    "max sam tom lou line ali dom pat val flo alex sacha noel mai juin avril aout france "
    "pierre olive rose claire jade marine aurore fleur prune ange reine victoire constance "
    "prudence celeste grace joy june may april summer lily lys iris violette capucine "
    "justice patience clemence blanche brune marin sylvain gilles franc ferme colombe "
    "dieu jesus marie mari paul jean luc marc guy loup lion leon bon sage fidele "
    "roy ray rey sol lune soleil ciel etoile ocean perle ambre cerise vanille "
    "emmanuel aime aimee desire desiree honore felicite modeste ben pis"
)

GREETINGS: Final = _words(
    "merci bonjour bonsoir salut coucou hello hey bravo re cc slt bjr ciao allo felicitations "
    "courage hola yo bienvenue bienvenu welcome bisous bises"
)

# English words spaCy sometimes reads as a person at the start of a sentence (« Any tips? »).
ENGLISH_WORDS: Final = _words(
    "any anyone anybody the my our we i you he she they his her their this that what who how "
    "when where why hi hey thanks thank please kid kids mom mum dad client father mother "
    "english french spanish speaking social workers worker looking"
)
