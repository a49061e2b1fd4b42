"""Where someone lives, how they can be found online, and what identifies them in a small place.

- postal addresses (a number and a street, a postcode and a town, a Canadian postcode);
- online handles (« son Insta @kev_59 », a profile link);
- combinations: in a small place, « la pharmacienne de Saint-Pacôme », « la seule famille
  syrienne du village » or « le jeune en fauteuil roulant de Sainte-Adèle » points at one person
  as surely as a name. A combination needs a small place (a place spaCy reads as LOC that is not a
  large city or region, or a word such as « village », « hameau », « rang ») together with a
  singular role or a detail (illness, family, event), or a marker of uniqueness (« le seul »,
  « tout le village le connaît »). « La DPJ de Laval », « le CISSS de la Montérégie » stay clean:
  places after a structure, and large places, do not count.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Final

from bot.secrecy import clues
from bot.secrecy import lexicon as lx
from bot.secrecy.model import Entity
from bot.text import fold

Hit = tuple[str, int, int]
_SP = r"[ \u00a0\u202f]"

# ------------------------------------------------------------------------------------ addresses
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*"
_STRONG_STREET = (
    r"rue|ruelle|avenue|av\.|boulevard|boul\.|bd|blvd|chemin|ch\.|all[ée]e|impasse|imp\.|"
    r"faubourg|fbg|street|st\.|road|rd\."
)
_WEAK_STREET = (
    r"place|pl\.|route|rte|rang|quai|cours|square|mont[ée]e|c[ôo]te|voie|passage|cit[ée]|"
    r"promenade|r[ée]sidence|sentier|lotissement|hameau|terrasse|croissant|carr[ée]"
)
_ARTICLE = r"(?:(?i:de la|de l'|de|du|des|d'|la|le|les|l')" + _SP + r"*)?"
_ADDRESS = re.compile(
    r"(?<![\w,.])(?P<num>\d{1,5})(?:" + _SP + r"?(?i:bis|ter|[a-d])\b)?,?" + _SP + r"+"
    r"(?:(?i:" + _STRONG_STREET + r")" + _SP + r"+" + _ARTICLE + r"[\wÀ-ÿ'’\-]{2,}"
    r"|(?i:" + _WEAK_STREET + r")" + _SP + r"+" + _ARTICLE + r"(?:" + _NAME_WORD + r"|\d{1,4}\b))"
)
# « habite rue des Lilas », « vit au bout du rang 4 »: a street without a number, with living words
# « avenue de Morges 47 », « rue de la Station 12 »: the number after the street (Belgium,
# Switzerland)
_NUMBER_AFTER = re.compile(
    r"(?<![\w])(?:(?i:"
    + _STRONG_STREET
    + r"|place|route|quai|chemin)"
    + _SP
    + r"+"
    + _ARTICLE
    + r"(?:"
    + _NAME_WORD
    + r")(?:"
    + _SP
    + r"(?:"
    + _NAME_WORD
    + r"))?"
    + _SP
    + r"+\d{1,4}(?:"
    + _SP
    + r"?(?i:bis|ter|[a-d]))?(?!"
    + _SP
    + r"*(?:ans|an|h|heures?|%|€|\$|"
    r"mois|jours?|semaines?|km|min|personnes|places|fois|janv\w*|f[ée]v\w*|mars|avr\w*|mai|"
    r"juin|juil\w*|ao[ûu]t|sept\w*|oct\w*|nov\w*|d[ée]c\w*)\b)(?![\w,.]\d)\b)"
)
_LIVES_ON = re.compile(
    r"(?i:\b(?:habite|habitent|vit|vivent|demeure|domicili[ée]e?s?|log[ée]e?s?|reste|restent)\b"
    r"[^.!?\n]{0,25}?\b(?:" + _STRONG_STREET + r"|rang|route|lotissement|r[ée]sidence|cit[ée]|"
    r"hameau|lieu-dit|HLM)\b" + _SP + r"+" + _ARTICLE + r")(?P<street>[\wÀ-ÿ'’\-]{2,})"
)
_HOUSE = re.compile(
    r"(?i:\b(?:maison|ferme|roulotte|caravane|chalet|appartement|logement|immeuble|hlm|"
    r"mobil-home|cabane|bicoque|taudis|studio|grange)\b(?:\s+[\wÀ-ÿ'’-]+){0,3}?\s+"
    r"(?:en\s+face|[àa]\s+c[ôo]t[ée]|au\s+coin|au\s+bout|derri[èe]re|au-dessus|juste\s+apr[èe]s|"
    r"pr[èe]s)\s+(?:de\s+la|de\s+l['’]|du|des|de)\s*[\wÀ-ÿ'’-]+)"
)
_FR_POSTCODE = re.compile(
    r"(?<![\d\w])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}" + _SP + r"+(?P<city>" + _NAME_WORD + r")"
)
_CA_POSTCODE = re.compile(
    r"(?<![\w])(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \-]?\d[ABCEGHJ-NPRSTV-Z]\d"
    r"|(?i:[abceghj-nprstvxy]\d[abceghj-nprstv-z])" + _SP + r"(?i:\d[abceghj-nprstv-z]\d))"
    r"(?![\w])"
)
_NOT_CITIES: Final = frozenset(
    [
        "euros",
        "eur",
        "euro",
        "dollars",
        "personnes",
        "habitants",
        "jeunes",
        "familles",
        "cas",
        "dossiers",
        "ménages",
        "enfants",
        "places",
        "appels",
        "signalements",
        "heures",
    ]
)


_VENUE = re.compile(
    r"(?i:r[ée]union|se\s+tiendra|se\s+tient|si[èe]ge|locaux|permanence|"
    r"bureaux?\s+(?:de|du|au)|association|salle|formation|colloque|conf[ée]rence|manif\w*|"
    r"rassemblement|journ[ée]e\s+d['’][ée]tude|nouvelle\s+adresse\s+du\s+service|accueil\s+de\s+jour)"
)
_LIVING = re.compile(r"(?i:habite|vit\b|vivent|demeure|domicil|log[ée]|chez\s+(?:elle|lui|eux))")


def _sentence(text: str, start: int, end: int) -> str:
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    rights = [i for i in (text.find(c, end) for c in ".!?\n") if i >= 0]
    return text[left : min(rights) if rights else len(text)]


# « EHPAD Les Tilleuls, chambre 112 », « CHSLD …, 3e étage, chambre 310 »: where someone lives
_ROOM = re.compile(
    r"(?i:\b(?:chambre|ch\.|room|appartement|appt|app\.|lit)\s*(?:n[°o]\.?\s*)?\d{1,4}\b)"
)
_RESIDENCE = re.compile(
    r"(?i:\b(?:ehpad|chsld|rpa|usld|\bhome\b|r[ée]sidence|maison\s+de\s+retraite|"
    r"foyer|pension|h[ée]bergement|ressource\s+interm[ée]diaire|\bri\b|nursing\s+home|"
    r"centre\s+d['’]h[ée]bergement|unit[ée]|pavillon|h[ôo]pital|hospitalis[ée]e?|clinique|"
    r"long[ée]\s+dur[ée]e|psychiatrie)\b)"
)


def rooms(text: str) -> Iterator[Hit]:
    """A room number in a care home, a residence or a ward: an address."""
    if not _RESIDENCE.search(text):
        return
    for m in _ROOM.finditer(text):
        yield "address", m.start(), m.end()


def addresses(text: str) -> Iterator[Hit]:
    for m in _ADDRESS.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        if _VENUE.search(sentence) and not _LIVING.search(sentence):
            continue  # « la réunion se tiendra au 12 rue … »: a meeting place, not a home
        yield "address", m.start(), m.end()
    for m in _HOUSE.finditer(text):
        yield "address", m.start(), m.end()
    for m in _LIVES_ON.finditer(text):
        yield "address", m.start("street") - 1, m.end("street")
    for m in _FR_POSTCODE.finditer(text):
        if m["city"].lower() not in _NOT_CITIES:
            yield "address", m.start(), m.end()
    for m in _CA_POSTCODE.finditer(text):
        yield "address", m.start(), m.end()
    for m in _NUMBER_AFTER.finditer(text):
        sentence = _sentence(text, m.start(), m.end())
        if _VENUE.search(sentence) and not _LIVING.search(sentence):
            continue
        yield "address", m.start(), m.end()
    yield from rooms(text)


# ------------------------------------------------------------------------------------ handles
_HANDLE = re.compile(r"(?<![\w@<])@(?P<handle>[A-Za-z0-9_.]{3,30})(?![\w@])")
_PLATFORM = re.compile(
    r"(?i:insta(?:gram)?|tiktok|snap(?:chat)?|facebook|\bfb\b|messenger|twitter|\bx\b|"
    r"youtube|twitch|compte|pseudo|profil|discord|telegram|whatsapp|onlyfans)"
)
_PROFILE_URL = re.compile(
    r"(?i:\b(?:https?://)?(?:www\.|m\.)?(?:facebook|fb|instagram|tiktok|snapchat|twitter|x|"
    r"youtube|linkedin|twitch)\.com/[^\s)]{2,})"
)


def handles(text: str) -> Iterator[Hit]:
    for m in _HANDLE.finditer(text):
        window = text[max(0, m.start() - 50) : m.end() + 30]
        if _PLATFORM.search(window):
            yield "handle", m.start(), m.end()
    for m in _PROFILE_URL.finditer(text):
        yield "handle", m.start(), m.end()


# ------------------------------------------------------------------------------------ combinations
_LOCALITY_NOUN = re.compile(
    r"(?i:\b(?:village|hameau|bourg|bourgade|patelin|bled|rang|paroisse|r[ée]serve|"
    r"municipalit[ée]|petite\s+ville|petite\s+commune|(?:la|notre|ma|leur|cette)\s+commune|"
    r"lieu-dit|vall[ée]e|canton|[îi]le|quartier\s+(?:de|du|des)|cit[ée]\s+(?:de|du|des)|"
    r"communaut[ée]\s+(?:de|d['’])|pueblo|campagne|coin)\b)"
)
# « à Pont-Rouge », « de Val-des-Bois », « à Ferrières-en-Gâtinais »: a compound place name
_COMPOUND_PLACE = re.compile(
    r"(?:\b(?:[àaÀA]|[Dd]e|[Dd]u|d['’]|sur|pr[èe]s\s+de|vers)\s+)(?P<place>[A-ZÀ-Ý][\wÀ-ÿ'’]+"
    r"(?:-[\wÀ-ÿ'’]+)+)"
)
_SMALL_PLACE_NAME = re.compile(
    r"(?:\b(?:[àaÀA]|[Dd]e|[Dd]u|d['’]|sur|pr[èe]s\s+de|vers)\s+)(?P<place>(?:Saint|Sainte|St|Ste|"
    r"Notre-Dame|Lac|Mont|Pointe|Rivi[èe]re|Val|Port|Bois|Cap|Grand|Petit|Petite|Les|La|Le|L['’])"
    r"[\-\s][A-ZÀ-Ý][\wÀ-ÿ'’\-]+)"
)
_ROLE = (
    r"boulang[eè]re?|p[âa]tissi[eè]re?|boucher|bouch[eè]re|pharmacien(?:ne)?|garagiste|"
    r"coiffeu(?:r|se)|[ée]pici[eè]re?|maire|mairesse|cur[ée]|pasteur|imam|rabbin|"
    r"instit(?:uteur|utrice)?|ma[îi]tresse|directeur|directrice|m[ée]decin|docteure?|"
    r"infirmi[eè]re?|factrice|facteur|notaire|v[ée]t[ée]rinaire|caissi[eè]re?|"
    r"concierge|gardienne?|chauffeu(?:r|se)|entra[îi]neu(?:r|se)|coach|pompi[eè]re?|"
    r"policier|polici[eè]re|gendarme|secr[ée]taire|conseill[eè]re?\s+municipale?|"
    r"agricult(?:eur|rice)|fermi[eè]re?|[ée]leveu(?:r|se)|serveu(?:r|se)|barman|patronne?|"
    r"propri[ée]taire|g[ée]rante?|d[ée]panneur|cuisini[eè]re?|animat(?:eur|rice)|"
    r"aide-soignante?|auxiliaire|d[ée]put[ée]e?|pr[ée]sidente?|tr[ée]sori[eè]re?|"
    r"bibliothécaire|postier|postière|buraliste|restaurat(?:eur|rice)|ambulanci[eè]re?|"
    r"sage-femme|dentiste|kin[ée]|psychologue|enseignante?|prof|professeure?|"
    r"chef\s+(?:de\s+gare|des\s+pompiers)|brigadier|garde\s+forestier|conduct(?:eur|rice)|"
    r"[ée]picier|[ée]pici[èe]re|menuisier|plombi[eè]re?|[ée]lectricien(?:ne)?|m[ée]canicien(?:ne)?|"
    r"fleuriste|libraire|cafetier|aubergiste|h[ôo]teli[eè]re?|camionneu(?:r|se)|bûcheron|"
    r"pêcheu(?:r|se)|sacristain|bedeau|organiste|marguilli[eè]re?|[ée]chevin|gardien\s+de\s+but|"
    r"capitaine|moniteur|monitrice|sauveteu(?:r|se)|surveillante?|cantini[eè]re|"
    r"atsem|aesh|avs|taxi|ambulancier|p[ée]diatre|p[ée]dopsychiatre|psychiatre|orthophoniste|"
    r"ost[ée]opathe|opticien(?:ne)?|avocate?|[ée]b[ée]niste|forgeron(?:ne)?|vigneron(?:ne)?|"
    r"berg[eè]re?|ma[çc]on|couvreur|charpentier|jardini[eè]re?|[ée]duc(?:atrice|ateur)?|b[ée]n[ée]vole|organisat(?:eur|rice)|goaler|gardien"
)
_ROLE_AT_PLACE = re.compile(
    r"(?i:\b(?:le|la|l['’]|notre|son|sa|leur|(?:un|le)\s+couple\s+d[e']|les)\s*"
    r"(?:seule?\s+|unique\s+|ancien(?:ne)?\s+|derni[èe]re?\s+|nouvel(?:le)?\s+|nouveau\s+)?"
    r"(?:" + _ROLE + r")s?\b(?P<rest>[^.!?\n]{0,60}))"
)
# « la fille du pharmacien », « la femme du maire », « le petit-fils de l'épicier »: one family
_KIN_OF_ROLE = re.compile(
    r"(?i:\b(?:fils|fille|femme|mari|[ée]pou(?:x|se)|conjointe?|m[èe]re|p[èe]re|fr[èe]re|"
    r"s[œo]eur|enfants?|petit-fils|petite-fille|petits-enfants|neveu|ni[èe]ce|ex|ex-femme|"
    r"ex-mari|beau-fr[èe]re|belle-s[œo]eur|gendre|belle-fille|bru|compagne|compagnon|"
    r"copine|copain|chum|blonde|veuve|veuf|gamine?|petite?|p['’]tite?|ado|gars|fiston)\s+"
    r"(?:du|de\s+la|de\s+l['’]|de\s+notre|d['’]une?"
    r"\s+ancien(?:ne)?|de\s+l['’]ancien(?:ne)?)\s*(?:ancien(?:ne)?\s+|nouvel(?:le)?\s+|"
    r"nouveau\s+)?(?:" + _ROLE + r")\b)"
)
# « le gars qui tient la station-service », « la patronne du bar »: a business in a small place
_RUNS_BUSINESS = re.compile(
    r"(?i:\b(?:tient|tenait|g[èe]re|g[ée]rait|patronne?\s+(?:du|de\s+la|de\s+l['’])|"
    r"propri[ée]taire\s+(?:du|de\s+la|de\s+l['’]))\s*(?:le|la|l['’]|un|une|son|sa)?\s*"
    r"(?:station-service|d[ée]panneur|bar|caf[ée]|restaurant|resto|[ée]picerie|boulangerie|"
    r"garage|camping|salon|tabac|casse-cro[ûu]te|boucherie|pharmacie|auberge|h[ôo]tel|g[îi]te|"
    r"ferme|magasin|boutique|commerce|quincaillerie|friterie|pizzeria|snack|kebab|motel)"
    r"(?P<rest>[^.!?\n]{0,50}))"
)
# what makes a role-holder in a place someone followed rather than a partner of the service
_SENSITIVE = re.compile(
    r"(?i:\b(?:drogu\w*|alcool\w*|agress\w*|violem\w*|ne\s+se\s+soigne|vit\s+seule?\b|"
    r"isol[ée]e?\b|incurie|diog[èe]ne|insalubr\w*|scarif\w*|automutil\w*|surdose|overdose|"
    r"tentative\s+de\s+suicide|\bts\b(?=\s+(?:hier|cette|ce|la|le|samedi|dimanche|lundi))|\bdes\s+bleus\b|ecchymoses?|coquards?|burn-?out|viol[ée]e?\b|\bboit\b|ivre|violen\w*|frapp\w*|battu|d[ée]pression|burn-?out|"
    r"suicid\w*|d[ée]tresse|plainte|arr[êe]t[ée]e?|soup[çc]onn[ée]e?|(?:cyber)?harc[eè]l\w*|"
    r"attouchements?|abus\w*|maltrait\w*|dettes?|expuls\w*|enceinte|fugu\w*|deuil|"
    r"d[ée]c[èe]s|perdu\s+(?:son|sa|ses)|mort|malade|hospitalis\w*|cancer|psychiatr\w*|"
    r"signal\w*|information\s+pr[ée]occupante|placement|plac[ée]e?|prison|d[ée]tenu|"
    r"asile|sans[\s-]papiers|irr[ée]guli\w*|(?:sa|son|ses)\s+(?:propre\s+)?(?:fille|fils|"
    r"enfants?|femme|mari|conjointe?|ex)|inqui[eè]t\w*|menac\w*|\bpeur\b|crise|s[ée]paration|"
    r"divorce|licenci\w*|ch[ôo]mage|pleur\w*|police|gendarme\w*|\bdpj\b|curatelle|tutelle|"
    r"on\s+(?:le|la|les)\s+(?:suit|accompagne)|suivie?\s+(?:par|au|à|chez)|accompagn[ée]e?\s+par))"
)
_UNIQUE = re.compile(
    r"\b(?i:le\s+seul|la\s+seule|l['’]unique)\s+[A-ZÀ-Ý][\wÀ-ÿ]+(?:ois|oise|ais|aise|ien|ienne|"
    r"éen|éenne|ain|aine)\b|"
    r"(?i:\b(?:le|la)\s+seule?\s+(?:[àa]|qui|du|de\s+la|de\s+l['’]|dans|au|en)\b|"
    r"\bthe\s+only\s+(?:\w+\s+){0,2}?(?:kid|child|family|girl|boy|woman|man|teen|student|"
    r"doctor|nurse|teacher|one)\b|"
    r"\b(?:le\s+seul|la\s+seule|les\s+seul(?:e)?s|l['’]unique|seule?)\s+(?:\w+\s+){0,2}?"
    r"(?:famille|enfant|jeune|personne|femme|homme|fille|gar[çc]on|[ée]l[èe]ve|m[èe]re|p[èe]re|"
    r"couple|b[ée]b[ée]|ado|dame|monsieur|r[ée]sidente?|noire?|arabe|musulmane?|juif|juive|"
    r"gay|lesbienne|trans|handicap[ée]e?|sourde?|aveugle|immigr[ée]e?|[ée]trang[eè]re?|"
    r"r[ée]fugi[ée]e?|africaine?|asiatique|autochtone|" + _ROLE + r")\b)"
)
_KNOWN = re.compile(
    r"(?i:\b(?:le\s+doyen|la\s+doyenne|le\s+centenaire|la\s+centenaire)\s+(?:du|de\s+la|de|d['’])\s*"
    r"(?:village|commune|paroisse|quartier|r[ée]sidence|ehpad|chsld|[A-ZÀ-Ý])|\btout\s+le\s+(?:monde|village|quartier|rang)\s+(?:le|la|les|l['’])\s*"
    r"(?:conna[îi]t|sait)|(?:tout\s+le\s+village|toute\s+la\s+(?:commune|paroisse|r[ée]serve))\s+(?:le|la|les|l['’]|en|"
    r"est|sait|a\s+vu|parle|jase|conna[îi]t)|"
    r"connue?s?\s+de\s+tous|que\s+tout\s+le\s+monde\s+conna[îi]t|"
    r"reconna[îi]tr(?:ait|aient|a)\s+(?:tout\s+de\s+suite|facilement|direct)|"
    r"tout\s+le\s+monde\s+(?:le|la|les|l['’])\s*reconna[îi]t|"
    r"\b(?:everybody|everyone|the\s+whole\s+(?:town|village))\s+(?:knows|recognizes|"
    r"recognises|knew|talks\s+about)\s+(?:him|her|them|the\s+family))"
)
_DETAIL = re.compile(
    r"(?i:\b(?:maladie\s+(?:rare|orpheline|g[ée]n[ée]tique|d[ée]g[ée]n[ée]rative|de\s+[A-Z]\w+)|"
    r"scl[ée]rose|\bsla\b|charcot|cancer|leuc[ée]mie|tumeur|\bvih\b|\bsida\b|trisomi\w*|"
    r"autis\w*|parapl[ée]gi\w*|t[ée]trapl[ée]gi\w*|fauteuil\s+roulant|amput[ée]e?|aveugle|"
    r"sourde?|malvoyante?|dialys[ée]e?|greff[ée]e?|mucoviscidose|myopathie|[ée]pilep\w*|"
    r"alzheimer|parkinson|schizophr\w*|bipolaire|anorexi\w*|polyhandicap\w*|br[ûu]l[ée]e?s?\b|"
    r"br[ûu]lures?|cicatrice|albinos|tatou\w*|nain(?:e)?\b|b[ée]quilles?|"
    r"jumeaux|jumelles|jumeau|jumelle|tripl[ée]e?s|quadrupl[ée]e?s|famille\s+nombreuse|\d+\s+enfants|"
    r"(?:m[èe]re|p[èe]re)\s+de\s+(?:\d+|deux|trois|quatre|cinq|six|sept|huit|neuf|dix)|"
    r"veu(?:f|ve)|orphelin(?:e)?|adopt[ée]e?|r[ée]fugi[ée]e?|demandeu(?:r|se)\s+d['’]asile|"
    r"incendie|accident|noyade|suicid\w*|meurtre|homicide|agression|fait\s+divers|"
    r"dans\s+le\s+journal|aux\s+nouvelles|aux\s+infos|[àa]\s+la\s+t[ée]l[ée]|reportage|"
    r"drame|explosion|proc[èe]s|disparition|enl[èe]vement|alerte\s+amber|avis\s+de\s+recherche|"
    r"incarc[ée]r[ée]e?|sorti(?:e)?\s+de\s+prison|condamn[ée]e?|enceinte|accouch\w*|"
    r"syrienne?|afghane?|ukrainienne?|ha[ïi]tienne?|rwandaise?|congolaise?|[ée]rythr[ée]enne?|"
    r"soudanaise?|somalienne?|tch[ée]tch[eè]ne|rom|yazidie?|autochtone|innue?|atikamekw|crie?|"
    r"inuk|inuit|mohawk|abénakise?|transgenre|\btrans\b|homosexuel\w*|converti\w*))"
)
_PERSON_REF = re.compile(
    r"(?i:\b(?:les\s+(?:jumeaux|jumelles|tripl[ée]e?s|quadrupl[ée]e?s|enfants|petits|parents)\b|"
    r"(?:la|le|l['’])\s*(?:dame|monsieur|femme|homme|jeune|ado|adolescente?|petite?|gamine?|gars|"
    r"maman|papa|m[èe]re|p[èe]re|famille|couple|b[ée]b[ée]|fille|gar[çc]on|veuve?|veuf)\b|"
    r"une?\s+(?:(?:vieux|vieille|jeune|petite?|grande?|pauvre|autre)\s+)?"
    r"(?:dame|monsieur|homme|femme|jeune|ado|adolescente?|enfant|fille|a[îi]n[ée]e?|gamine?|gars|"
    r"gar[çc]on|m[èe]re|p[èe]re|maman|papa|famille|couple|b[ée]b[ée]|patiente?|usag[eè]re?|"
    r"r[ée]sidente?|personne|veuve?|veuf|retrait[ée]e?)|cette\s+(?:dame|femme|jeune|ado|famille|m[èe]re|"
    r"personne|enfant)|ce\s+(?:monsieur|jeune|gar[çc]on|p[èe]re|couple|b[ée]b[ée]|patient)|"
    r"(?:mon|ma)\s+(?:usag[eè]re?|patiente?|cliente?|r[ée]sidente?|b[ée]n[ée]ficiaire|"
    r"jeune|suivie?)|(?:sa|son|ses)\s+(?:m[èe]re|p[èe]re|fils|fille|enfants?|femme|mari|"
    r"conjointe?|parents|fr[èe]re|s[œo]eur|famille|voisine?)|\belle\b|\blui\b|"
    r"\bil\b(?!\s+(?:y\s+a|faut|s['’]agit|semble|reste|manque|existe|para[iî]t|suffit|"
    r"est\s+(?:possible|important|normal|difficile|urgent|temps|question))\b)))"
)

_ENGLISH_PERSON = re.compile(
    r"(?i:\ban?\s+\d{1,2}[\s-]?(?:y/?o|year[\s-]old)\b|"
    r"\b(?:an?|the|my|our|this|his|her|their)\s+(?:\d{1,2}[\s-]?(?:y/?o|year[\s-]old)\s+|"
    r"young\s+|teenage\s+|single\s+|old\s+|elderly\s+|[A-Za-z-]+\s+)?(?:kid|child|girl|boy|teen|teenager|"
    r"mom|mum|dad|mother|father|man|woman|lady|guy|family|client|patient|resident|grandmother|"
    r"grandfather|baby|son|daughter|wife|husband|gentleman|guy)s?\b)"
)
_CONDITION = re.compile(
    r"(?i:\b(?:atteinte?s?\s+(?:de|d['’]|par)|souffr\w*\s+d['’e]|diagnostiqu[ée]e?|"
    r"syndrome\s+(?:de|d['’])|maladie\s+(?:de|d['’])|handicap\s+rare|"
    r"(?:disease|syndrome|disorder|dialysis|wheelchair|amputee|amputated|disabled|deaf|blind|"
    r"terminal\s+cancer)\b|\blost\s+(?:his|her|their|both|a|an|one)\s+(?:\w+\s+)?"
    r"(?:legs?|arms?|hands?|feet|foot|sight|eyes?)\b))"
)
# a singular person and an age: « un gamin de 9 ans », « une dame de 91 ans », « a 7 y/o »
_PERSON_AGE = re.compile(
    r"(?i:\b(?:une?|ce|cette|le|la|l['’]|mon|ma|notre|leur)\s*(?:[\wÀ-ÿ-]+\s+)?"
    r"(?:gamin|gamine|enfant|jeune|ado|adolescente?|fille|gar[çc]on|dame|monsieur|homme|femme|"
    r"m[èe]re|p[èe]re|maman|papa|b[ée]b[ée]|patiente?|r[ée]sidente?|usag[eè]re?|mineure?|petite?|"
    r"grand-m[èe]re|grand-p[èe]re|retrait[ée]e?|aîn[ée]e?|a[îi]n[ée]e?|cadette?|benjamine?|"
    r"veuve?|veuf|voisine?|jumeau|jumelle)\s+(?:de|d['’]|âg[ée]e?\s+de)\s*\d{1,3}\s*(?:ans|mois)\b|"
    r"\b\d{1,2}[\s-]?(?:y/?o|yo|year[\s-]old|years[\s-]old)\b|"
    r"\b(?:girl|boy|kid|teen|man|woman|mom|mum|dad|lady|guy)\s*[,(]\s*\d{1,2}\s*[,)])"
)
# the local news or the talk of the place: « on en a parlé à Radio-Canada », « la une du journal »
_NEWS = re.compile(
    r"(?i:\b(?:radio-canada|\btva\b|\blcn\b|la\s+une\b|[àa]\s+la\s+une|tour\s+des\s+m[ée]dias|"
    r"dans\s+les\s+m[ée]dias|dans\s+la\s+presse|dans\s+le\s+journal|(?:parl[ée]|pass[ée])\s+"
    r"(?:[àa]|dans|sur)\s+(?:la\s+)?(?:radio|t[ée]l[ée]|journal|presse|facebook|[A-ZÀ-Ý])|"
    r"happ[ée]e?\s+par|renvers[ée]e?\s+par|percut[ée]e?\s+par|in\s+the\s+news|"
    r"on\s+the\s+news))"
)
# what a passer-by would recognise: « roux, avec une cicatrice », « une prothèse à la jambe »
_PHYSICAL = re.compile(
    r"(?i:\b(?:roux|rousse|cicatrices?|proth[èe]se|borgne|ob[èe]se|boite(?:ux|use)?|"
    r"unijambiste|manchot(?:e)?|b[èe]gue|bossue?|jambe\s+de\s+bois|une\s+seule\s+jambe|"
    r"un\s+seul\s+bras|perdu\s+(?:une|un|sa|son)\s+(?:jambe|bras|main|pied|[œo]e?il)|"
    r"piercings?|dreadlocks|tr[èe]s\s+grande?|tr[èe]s\s+petite?|cheveux\s+(?:roux|bleus|"
    r"verts|roses|blancs|ras[ée]s)|cr[âa]ne\s+ras[ée]|fauteuil\s+roulant|chaise\s+roulante|canne\s+blanche|"
    r"tache\s+de\s+naissance|bec-de-li[èe]vre|appareil\s+auditif|tatou\w*)\b)"
)
# a minority said of one household or person: « une famille portugaise », « le jeune musulman »
_DEMONYM = re.compile(
    r"(?i:\b(?:une?|la|le|l['’]|cette|ce|seule?)\s+(?:famille|femme|homme|jeune|dame|monsieur|"
    r"m[èe]re|p[èe]re|couple|ado|enfant|gar[çc]on|fille|maman|papa|veuve|veuf)\s+"
    r"(?!(?:voisin|cousin|copin|urbain|humain|lointain|certain|prochain|quotidien|ancien|moyen|"
    r"mondain|souverain)e?s?\b)(?-i:[a-zà-ÿ]{3,}(?:ais|aise|ois|oise|ien|ienne|éen|éenne|ain|"
    r"aine|an|ane|ine|ite|que|e))\b(?<!ique)(?<!ienne\b)|"
    r"\b(?:une?|la|le|l['’]|cette|ce)\s+(?:famille|femme|homme|jeune|dame|m[èe]re|p[èe]re|"
    r"couple|ado|enfant|fille|gar[çc]on)\s+(?:rom|gitane?|musulmane?|juive?|sikh|"
    r"t[ée]moin\s+de\s+j[ée]hovah|amish|mennonite|hassidique|noire?|arabe|asiatique|africaine?|"
    r"maghr[ée]bine?|turque|kurde|tamoule?|chinoise?)\b|"
    r"\b[A-Z][a-z]+(?:an|ian|ese|ish|i)\s+(?:mum|mom|dad|family|woman|man|kid|girl|boy|teen)\b)"
)
_SELF_SENTENCE = re.compile(
    r"(?i:\W*(?:moi\b|perso\b|je\s+suis\b|j['’]suis\b|je\s+travaille|je\s+bosse|j['’]habite|"
    r"je\s+vis\b|je\s+viens\b|j['’]exerce|j['’]ai\s+\d+\s+ans|mon\s+(?:premier\s+)?poste|"
    r"i['’]m\b(?!\s+(?:following|working\s+with|seeing|supporting|helping|worried|dealing|"
    r"accompanying))|i\s+am\b(?!\s+(?:following|working\s+with|seeing|supporting|helping|"
    r"worried|dealing|accompanying))|i\s+work(?!ing\s+with|\s+with)|i\s+live|as\s+a\b))"
)


# « les enfants autistes », « des personnes âgées atteintes d'Alzheimer »: a category, no one
_GENERIC_BEFORE = re.compile(
    r"(?i:\b(?:enfants|personnes|jeunes|parents|familles|femmes|hommes|adultes|ados|"
    r"adolescent(?:e)?s|[ée]l[èe]ves|mineur(?:e)?s|r[ée]sident(?:e)?s|patient(?:e)?s|a[îi]n[ée](?:e)?s|"
    r"gens|usag[eè]r(?:e)?s|b[ée]n[ée]ficiaires|kids|children|people|families|teens|adults|"
    r"students|seniors|parents)(?:\s+[\wÀ-ÿ'’-]+){0,2}\s*$)"
)


def _generic(text: str, start: int) -> bool:
    return _GENERIC_BEFORE.search(text[max(0, start - 50) : start]) is not None


def _about_self(text: str, start: int) -> bool:
    """« Moi, 42 ans, TS à Rimouski … »: the member speaks of themself."""
    left = max(text.rfind(c, 0, start) for c in ".!?\n") + 1
    return _SELF_SENTENCE.match(text, left) is not None


_STREET_NAME = re.compile(
    r"(?i:\b(?:rue|ruelle|chemin|rang|route|all[ée]e|impasse|avenue|boulevard|mont[ée]e|"
    r"lotissement|r[ée]sidence|cit[ée])\s+(?:de\s+la\s+|de\s+l['’]|du\s+|des\s+|de\s+|d['’])?)"
    r"(?P<name>[A-ZÀ-Ý0-9][\wÀ-ÿ'’\-]*)"
)
_ONE_WORD_PLACE = re.compile(r"\b(?:[àa]|de|d['’])\s*(?P<place>[A-ZÀ-Ý][a-zà-ÿ'’]{3,})\b")


_ACRONYM_MAX_LEN = 2
_CAPITALISED = re.compile(r"(?<![\w'’-])[A-ZÀ-Ý][\wÀ-ÿ'’]+(?:[-\s][A-ZÀ-Ý][\wÀ-ÿ'’]+)*")
# « a kid from Kuujjuaq », « in Roberval »: an English sentence names its places this way
_ENGLISH_PLACE = re.compile(r"\b(?:in|from|near|outside)\s+(?P<place>[A-Z][\w'’\-]{3,})")


# « l'US Plouay », « le FC Saxon », « les Castors de Saint-Ambroise »: a local club names its town
_CLUB = re.compile(
    r"\b(?:US|AS|FC|SC|ES|AJ|CS|RC|JS|SO|AC|ASC|USM|ESC|HC|BC|VC|TC|JA|UA|CO|EC|SA|"
    r"(?i:stade|olympique|racing|sporting|union\s+sportive|entente|amicale|[ée]toile|"
    r"association\s+sportive|club))\s+(?:(?i:de|du|d['’])\s*)?(?P<place>[A-ZÀ-Ý][\wÀ-ÿ'’-]+)"
)


def _clubs(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _CLUB.finditer(text):
        key = fold(m["place"])
        if key not in lx.BIG_PLACES and key not in lx.FIELD_WORDS and len(key) > _ACRONYM_MAX_LEN:
            spans.append(m.span("place"))
    return spans


def _communities(text: str) -> list[tuple[int, int]]:
    """First Nations and Inuit communities (``communautes.txt``): small places, always."""
    known = lx.communities()
    spans = []
    for m in _CAPITALISED.finditer(text):
        words = m[0].split()
        for n in range(len(words), 0, -1):  # « Uashat mak Mani-utenam », « Kitigan Zibi »
            if fold(" ".join(words[:n])) in known:
                spans.append((m.start(), m.start() + len(" ".join(words[:n]))))
                break
    return spans


def _english_places(text: str) -> list[tuple[int, int]]:
    spans = []
    for m in _ENGLISH_PLACE.finditer(text):
        key = fold(m["place"])
        if key in lx.BIG_PLACES or key in lx.ENGLISH_WORDS or key in lx.FIELD_WORDS:
            continue
        if key in lx.french_words() or key in lx.first_names():
            continue
        spans.append(m.span("place"))
    return spans


_ACRONYM_PLACE_MAX: Final = 5
_INDEFINITE_BEFORE = re.compile(r"(?i:\b(?:une?|d['’]une?|des|certaine?s?|petite?s?)\s*$)")


def _small_places(text: str, entities: Sequence[Entity] | None) -> list[tuple[int, int]]:
    # « un village », « d'une petite commune »: any village, not one a colleague can find
    spans = [
        m.span()
        for m in _LOCALITY_NOUN.finditer(text)
        if not _INDEFINITE_BEFORE.search(text, 0, m.start())
    ]
    spans += _communities(text) + _english_places(text) + _clubs(text)
    spans += [m.span() for m in _STREET_NAME.finditer(text)]
    spans += [m.span("place") for m in _SMALL_PLACE_NAME.finditer(text)]
    for m in _COMPOUND_PLACE.finditer(text):
        key = fold(m["place"])
        first = lx.first_names()
        if key in lx.BIG_PLACES or all(part in first for part in key.split("-")):
            continue  # « de Jean-Pierre » is a person, « de Trois-Rivières » a city
        spans.append(m.span("place"))
    for ent in entities or ():
        if ent.label != "LOC":
            continue
        name = fold(text[ent.start : ent.end])
        if name in lx.BIG_PLACES or name in lx.FIELD_WORDS:
            continue
        raw = text[ent.start : ent.end]
        if raw.isupper() and len(raw) <= _ACRONYM_PLACE_MAX:
            continue  # « un recours DALO »: spaCy takes a short acronym for a place
        before = text[max(0, ent.start - 20) : ent.start]
        # « la DPJ de Laval », « le CISSS de la Montérégie »: a structure's territory
        if re.search(r"\b[A-Z]{2,}\s+(?:de|du|des|d['’])\s*(?:la\s+|l['’])?$", before):
            continue
        spans.append((ent.start, ent.end))
    return spans


# « l'église de Murat », « la gare de Lure »: what comes after is the town, even a first name
_STRUCTURE_OF = re.compile(
    r"(?i:\b(?:[ée]glise|mairie|gare|[ée]cole|coll[èe]ge|lyc[ée]e|march[ée]|pharmacie|"
    r"boulangerie|[ée]picerie|poste|commune|village|paroisse|piscine|biblioth[èe]que|caserne|"
    r"camping|stade|usine|scierie|carri[èe]re|abattoir|cimeti[èe]re|presbyt[èe]re)\s+"
    r"(?:de|d['’])\s*$)"
)
_FIRST_NAME_BEFORE = re.compile(r"[A-ZÀ-Ý][\wÀ-ÿ'’-]+\s*$")


def _is_known_first(text: str, start: int) -> bool:
    before = _FIRST_NAME_BEFORE.search(text, 0, start)
    return before is not None and fold(before[0].strip()) in lx.first_names()


def _one_word_places(text: str) -> list[tuple[int, int]]:
    """« de Montbrison », « à Vichy »: a capitalised word after de/à that is no person or field."""
    spans = []
    for m in _ONE_WORD_PLACE.finditer(text):
        key = fold(m["place"])
        if key in lx.BIG_PLACES or key in lx.FIELD_WORDS or key in lx.TITLES:
            continue
        if (
            key in lx.first_names()
            and key not in lx.first_names().words
            and not _STRUCTURE_OF.search(text, 0, m.start("place"))
        ):
            continue
        if _FIRST_NAME_BEFORE.search(text, 0, m.start()) and _is_known_first(text, m.start()):
            continue  # « Delphine de Vigan »: a particle name, not a place
        spans.append(m.span("place"))
    return spans


# « le pédiatre de Lure a fait une information préoccupante »: the professional acts for another
_PROFESSIONAL_ACT = re.compile(
    r"(?i:\b(?:a|ont|avait|va|vont|doit)\s+(?:fait|faire|envoy[ée]|envoyer|transmis|transmettre|"
    r"r[ée]dig[ée]|r[ée]diger|d[ée]pos[ée]|d[ée]poser)\s+(?:un|une|le|la|son|sa)\s+"
    r"(?:signalement|information\s+pr[ée]occupante|ip|plainte))"
)


def _sensitive_besides(text: str, start: int, end: int) -> bool:
    """Something sensitive outside the role itself (« le psychiatre de Lure » is a partner)."""
    rest = _PROFESSIONAL_ACT.sub(" ", f"{text[:start]} {text[end:]}")
    return _SENSITIVE.search(rest) is not None or _DETAIL.search(rest) is not None


def combinations(text: str, entities: Sequence[Entity] | None) -> Iterator[Hit]:
    # « Je suis à Vesoul », « je travaille à Dinan »: the member's own place points at no one
    places = [p for p in _small_places(text, entities) if not _about_self(text, p[0])]
    sensitive = _SENSITIVE.search(text) is not None or _DETAIL.search(text) is not None
    for m in _KIN_OF_ROLE.finditer(text):
        yield "combination", m.start(), m.end()
    role_places = places + [p for p in _one_word_places(text) if not _about_self(text, p[0])]
    for m in _RUNS_BUSINESS.finditer(text):
        if sensitive and any(m.start("rest") <= s <= m.end() + 5 for s, _ in role_places):
            yield "combination", m.start(), m.end()
    for m in _ROLE_AT_PLACE.finditer(text):
        rest_start = m.start("rest")
        near = any(rest_start <= s <= m.end() + 5 for s, _ in role_places)
        linked = re.match(r"^\s*(?:[\wÀ-ÿ]+\s+){0,2}?(?:de|du|d['’]|à|a|au|des)\b", m["rest"], re.I)
        if near and linked and _sensitive_besides(text, m.start(), rest_start):
            yield "combination", m.start(), m.end()
    for m in _KNOWN.finditer(text):
        yield "combination", m.start(), m.end()
    for m in _UNIQUE.finditer(text):
        if role_places or _DETAIL.search(text):
            yield "combination", m.start(), m.end()
    if role_places:
        places = role_places
        detail = next(
            (
                m
                for pattern in (_DETAIL, _CONDITION, _PERSON_AGE, _NEWS, _PHYSICAL, _DEMONYM)
                for m in pattern.finditer(text)
                if not _about_self(text, m.start()) and not _generic(text, m.start())
            ),
            None,
        )
        person = _PERSON_REF.search(text) or _ENGLISH_PERSON.search(text)
        if detail and (person or _PERSON_AGE.search(text)):
            start = min(detail.start(), places[0][0])
            yield "combination", start, max(detail.end(), places[0][1])
            return
    yield from _weak_clues(text, role_places)


def _clue_spans(text: str) -> dict[str, tuple[int, int]]:
    """The first span of each category of ``clues`` said of one person, not of a group or self."""
    found: dict[str, tuple[int, int]] = {}
    for category, pattern in clues.CATEGORIES.items():
        for m in pattern.finditer(text):
            if not _about_self(text, m.start()) and not _generic(text, m.start()):
                found[category] = m.span()
                break
    return found


def _weak_clues(text: str, role_places: list[tuple[int, int]]) -> Iterator[Hit]:
    """Two or three weak clues about one person or household: together they point at them."""
    if not (_PERSON_REF.search(text) or _ENGLISH_PERSON.search(text) or _MORE_PERSON.search(text)):
        return
    found = _clue_spans(text)
    if role_places:
        found["place"] = role_places[0]
    strong = any(c in clues.STRONG or c == "place" for c in found)
    if (len(found) >= _CLUES_WITH_STRONG and strong) or len(found) >= _CLUES_WEAK_ONLY:
        spans = found.values()
        yield "combination", min(s for s, _ in spans), max(e for _, e in spans)


_CLUES_WITH_STRONG: Final = 2
_CLUES_WEAK_ONLY: Final = 3
# who a social worker speaks of besides « la dame », « le jeune »: « mes jeunes », « mon suivi »,
# « les 2 jeunes », initials (« M.B., 16 ans »)
_MORE_PERSON = re.compile(
    r"(?i:\b(?:mes|nos|ses|les)\s+(?:\d{1,2}\s+|deux\s+|trois\s+)?(?:jeunes|ados|gamins|gosses|"
    r"petits)\b|\bmon\s+suivi\b|\bma\s+(?:petite\s+)?(?:dame|madame|jeune|protégée)\b|"
    r"\bmon\s+(?:petit\s+)?(?:monsieur|jeune|protégé|gars)\b)|\b[A-Z]\.\s?[A-Z]\.(?!\w)"
)
