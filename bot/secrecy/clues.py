"""Weak clues that identify someone only together: how social workers describe a situation.

A colleague of the same town recognises « une maman seule, caissière au supermarché, 4 enfants dont
un petit en fauteuil » without a name and without a small place: each detail alone is shared by
many people, two or three of them together by one family. This module sorts such details into
categories (an age, the household, a job and where it is done, a role few people hold, a condition
or a look one notices, a minority, an event people talked about, a school level, a named
institution, a hearing); ``places.combinations`` counts the categories present around a person.

Each pattern reads one person or one household (« elle a 11 ans », « the daughter (9) »), never a
category of people (« les ados de 15-17 ans », « les familles de 3 enfants »): ``places`` drops a
clue said of a plural group or of the member themself.
"""

from __future__ import annotations

import re
from typing import Final

_NUMBER_WORD = r"(?:deux|trois|quatre|cinq|six|sept|huit|neuf|dix|two|three|four|five|six|seven)"

# the age of one person: « elle a 11 ans », « Yanis, 6 ans, », « (15 ans) », « the boy is 10 »
AGE: Final = re.compile(
    r"(?i:\b(?:il|elle|iel|qui|y|he|she)\s+(?:a|avait|aura|vient\s+d['’]avoir|is|was|turned)\s+"
    r"\d{1,2}\s*(?:ans|an|years?(?:\s+old)?)?\b(?!\s*(?:%|de\s|d['’]|h\b|heures|jours|semaines|"
    r"mois\s+de|fois|minutes|weeks|days|hours|months|times|percent))|"
    r"(?<![\d\-–])[,(]\s*\d{1,2}\s*(?:ans|an|yo|y/o|years?\s+old)\b(?!\s*(?:de\s|d['’]|of\s))|"
    r"^\s*\d{1,2}\s*ans\s*[,:]|"
    r"\b(?:son|daughter|girl|boy|kid|child|teen|fils|fille|a[îi]n[ée]e?|cadette?|petite?|"
    r"gar[çc]on|gamine?)\s*\(\s*\d{1,2}\s*\)|"
    r"\b(?:aged|âg[ée]e?\s+de)\s+\d{1,2}\b|"
    # « my client, 34, single mum »: a bare age between commas after who it is
    r"\b(?:client|patient|resident|girl|boy|kid|son|daughter|mom|mum|dad|woman|man|lady|guy|"
    r"cliente?|patiente?|r[ée]sidente?|usag[eè]re?|dame|monsieur)\s*,\s*\d{1,2}\s*,|"
    r"\b\d{1,2}[\s-]?(?:y/?o|year[\s-]old)\b)"
)
# a household told apart by its make-up: « 5 enfants dont un bébé », « dad has 4 kids »
FAMILY: Final = re.compile(
    r"(?i:\b(?:\d{1,2}|" + _NUMBER_WORD + r")\s+(?:enfants|gosses|gamins|kids|children|petits|"
    r"ados|filles|gar[çc]ons|boys|girls)\b|"
    r"\b(?:m[èe]re|p[èe]re|maman|papa|parent)\s+(?:solo|seule?|c[ée]libataire|isol[ée]e?)\b|"
    r"\bsingle\s+(?:mom|mum|dad|parent|father|mother)\b|"
    r"\bfamille\s+(?:nombreuse|monoparentale|recompos[ée]e)|"
    r"\b\d\s+g[ée]n[ée]rations|\b(?:four|three|4|3)\s+generations|"
    r"\bthe\s+(?:youngest|eldest|oldest)\b|\b(?:le\s+cadet|la\s+cadette|le\s+benjamin|"
    r"la\s+benjamine|l['’]a[îi]n[ée]e?)\b|"
    r"\b(?:grand-m[èe]re|grand-p[èe]re|petit-fils|petite-fille|arri[èe]re-grand|grandmother|"
    r"grandfather|grandson|granddaughter|grandma|grandpa)\b|"
    r"\b(?:jumeaux|jumelles|tripl[ée]e?s|twins|triplets)\b|"
    r"\b(?:mom|mum|dad|mother|father|m[èe]re|p[èe]re)\s+(?:has|of|a|de)\s+(?:\d{1,2}|"
    + _NUMBER_WORD
    + r")\b|"
    r"\bdont\s+(?:une?|deux|trois|l['’]un|l['’]une)\s+(?:petite?|b[ée]b[ée]|fille|gar[çc]on|"
    r"ado|enfant)\b|"
    r"\b(?:her|his|their)\s+(?:\d{1,2}|" + _NUMBER_WORD + r")\s+(?:kids|children)\b)"
)
_TRADE = (
    r"chauffeu(?:r|se)\s+(?:de\s+(?:bus|taxi|car|camion|poids\s+lourd))?|caissi[eè]re?|"
    r"serveu(?:r|se)|vendeu(?:r|se)|cuisini[eè]re?|plongeu(?:r|se)|magasini(?:er|[eè]re)|"
    r"manutentionnaire|ouvri[eè]re?|agent(?:e)?\s+d['’]entretien|femme\s+de\s+m[ée]nage|"
    r"m[ée]canicien(?:ne)?|boulang[eè]re?|boucher|bouch[eè]re|infirmi[eè]re?|"
    r"aide-soignante?|pr[ée]pos[ée]e?|pompi[eè]re?|policier|polici[eè]re|gendarme|"
    r"cadre|directeur|directrice|g[ée]rante?|patronne?|employ[ée]e?|secr[ée]taire|"
    r"facteur|factrice|postier|posti[eè]re|enseignante?|prof|ma[îi]tresse|instit|"
    r"CFO|CEO|manager|cashier|nurse|teacher|driver|cook|waitress|waiter|janitor|"
    r"mechanic|clerk|owner|director|engineer"
)
# a job and where it is done: « la mère bosse à la laiterie », « mum works at the mill »,
# « conducteur de car sur la ligne du lac », « sells flowers at the market »
WORKPLACE: Final = re.compile(
    r"(?i:\b(?:travaille|travaillait|bosse|bossait|works|worked|employ[ée]e?|embauch[ée]e?|"
    r"hired)\s+(?:comme\s+[\wÀ-ÿ-]+\s+|as\s+an?\s+\w+\s+|(?:de\s+)?(?:nuit|le\s+soir|"
    r"le\s+week-end|nights|weekends|(?:night|day|early|late)\s+shifts?)\s+)?(?:[àa]\s+la|[àa]\s+l['’]|au|aux|"
    r"chez|dans\s+(?:la|le|l['’]|une|un)|at|for|on)\b|"
    r"\b(?:sells|vend)\s+(?:[\wÀ-ÿ-]+\s+){1,3}?(?:at|[àa]|au|sur|on)\b|"
    r"(?:" + _TRADE + r")\s+(?:au|aux|[àa]\s+la|[àa]\s+l['’]|chez|sur\s+la\s+ligne|"
    r"de\s+la\s+ligne|at|of|in)\b|"
    r"\bis\s+(?:a|an|the)\s+(?:[\w-]+\s+)?(?:" + _TRADE + r")\s+(?:at|in|for)\b)"
)
# a role few people hold, or held: « l'ancienne mairesse », « used to be the priest »
UNIQUE_ROLE: Final = re.compile(
    r"(?i:\b(?:ancien(?:ne)?|ex-?)\s*(?:maire|mairesse|chef|cur[ée]|pasteur|imam|d[ée]put[ée]e?|"
    r"pr[ée]sidente?|joueu(?:r|se)|champion(?:ne)?|directeur|directrice|notaire|m[ée]decin|"
    r"pompier|policier|gendarme|[ée]chevin|syndic|conseill[eè]re?)\b|"
    r"\bex-[A-ZÀ-Ý][\w-]+\s+(?:player|joueur|joueuse)|"
    r"\b(?:used\s+to\s+be|former|ex-)\s*(?:the\s+)?(?:mayor|chief|priest|player|champion|"
    r"coach|councillor|mp|principal)\b|"
    r"\bconseil\s+de\s+bande\b|\bchef\s+de\s+bande\b|\ba[îi]n[ée]e?\s+respect[ée]e?|"
    r"\b(?:fils|fille|femme|mari|enfants?|gamine?|petite?|fr[èe]re|s[œo]eur)\s+du\s+(?:maire|"
    r"cur[ée]|pasteur|notaire|m[ée]decin|directeur|chef)\b|"
    r"\b(?:char|voiture|auto|maison|chien)\s+du\s+(?:maire|cur[ée]|notaire|directeur|chef))"
)
# an event people of the place talked about: « l'ado qui a cambriolé la pharmacie »
EVENT: Final = re.compile(
    r"(?i:\bmis\s+le\s+feu|\bincendi\w*|\bvol[ée]s?\s+(?:le|la|les|un|une|son|sa|ses|l['’])|"
    r"\bvolaient|\bcambriol\w*|\bbraqu\w*|\bbagarre|\brixe\b|\bfilm[ée]e?s?\b|"
    r"\bvid[ée]o\s+(?:virale|qui\s+(?:a\s+)?tourn)|\bviral\w*|\baccident\w*|\bnoy[ée]e?\b|"
    r"\bnoyade|\bla\s+une\b|\bjournal\s+local|\bfait\s+divers|\bset\s+(?:fire|the\s+fire)|"
    r"\bstole\b|\bstolen\b|\bcrash\w*|\bmade\s+the\s+news|\bin\s+the\s+(?:news|paper)|"
    r"\bon\s+the\s+news|\bfight\s+(?:video|filmed)|\bfugu(?:e|é|ée)s?\s+(?:de|du)\s+\d)"
)
# a condition few people have, a disability one sees
RARE: Final = re.compile(
    r"(?i:\b(?:spina\s+bifida|[ée]pidermolyse|bulleuse|mucoviscidose|cystic\s+fibrosis|"
    r"syndrome\s+(?:de|d['’])\s*[A-Z][\w-]+|[A-Z][\w-]+\s+syndrome|maladie\s+(?:de|d['’])\s*"
    r"[A-Z][\w-]+|[A-Z][\w-]+['’]s\s+disease|drépanocytose|dr[ée]panocytaire|sickle\s+cell|"
    r"h[ée]mophil\w*|myopathie|dystrophie|duchenne|huntington|progeria|nanisme|achondroplas\w*|"
    r"x\s+fragile|prader|angelman|rett|williams-beuren|trisomi\w*|down\s+syndrome|"
    r"polyhandicap\w*|parapl[ée]gi\w*|t[ée]trapl[ée]gi\w*|quadripl[ée]gi\w*|paralys[ée]e?|"
    r"amput[ée]e?|sourde?|sourds?-muets?|malentendante?|aveugle|non-voyante?|malvoyante?|"
    r"deaf|blind|wheelchair|fauteuil\s+roulant|en\s+fauteuil|chaise\s+roulante|greff[ée]e?|dialys[ée]e?|"
    r"dialysis|transplant\w*|leuc[ée]mie|leukemia|cancer\s+(?:du|de\s+la|des|rare)|"
    r"scl[ée]rose|\bsla\b|\bals\b|charcot|[ée]pileps\w*|epilep\w*|autis\w*|albinos|albinism|"
    r"g[ée]n[ée]tique\s+rare|maladie\s+(?:rare|orpheline)|rare\s+(?:disease|condition))\b)"
)
# what a passer-by remembers: a tattoo on the face, a scar, a prosthesis
PHYSICAL: Final = re.compile(
    r"(?i:\b(?:tatou\w*|tattoo\w*|scar\b|scarred|cicatrices?|proth[èe]se|prosthe\w*|"
    r"borgne|unijambiste|one-legged|one\s+arm|bec-de-li[èe]vre|cleft\s+lip|tache\s+de\s+naissance|"
    r"birthmark|dreadlocks|cr[âa]ne\s+ras[ée]|shaved\s+head|very\s+tall|tr[èe]s\s+grande?|"
    r"(?:cheveux|hair)\s+(?:roux|rouges|bleus|verts|roses|blue|green|pink|red)|roux|rousse|"
    r"redhead|ginger|ob[èe]se|b[ée]gaie|b[èe]gue|stutter\w*|piercings?|canne\s+blanche)\b)"
)
# one household of a minority: « a Somali family », « une famille kurde », « Atikamekw »
MINORITY: Final = re.compile(
    r"(?i:\b(?:mohawk|innue?s?|innu|atikamekw|cries?|inuk|inuit|anishinabe\w*|algonquin\w*|"
    r"wendat|huron-wendat|abénaki\w*|mi['’]?kmaq|micmac|naskapi|malécite|wolastoqiyik|"
    r"premi[èe]res?\s+nations?|first\s+nations?|autochtones?|indigenous|"
    r"gens\s+du\s+voyage|roms?|gitane?s?|yéniche|sinti|tchétch[eè]ne|syrienne?|afghane?|"
    r"ukrainienne?|érythréenne?|soudanaise?|somalienne?|kurde|yazidie?|tamoule?|ouïghoure?|"
    r"ha[ïi]tienne?|congolaise?|rwandaise?|burundaise?|guin[ée]enne?|malienne?|"
    r"s[ée]n[ée]galaise?|ivoirienne?|camerounaise?|nig[ée]riane?|[ée]rythr[ée]enne?|"
    r"albanaise?|kosovare?|g[ée]orgienne?|arm[ée]nienne?|moldave|roumaine?|bulgare|polonaise?|"
    r"portugaise?|br[ée]silienne?|chinoise?|vietnamienne?|philippine|tib[ée]taine?|n[ée]palaise?|"
    r"britannique|anglaise?|am[ée]ricaine?|british|english|american|polish|syrian|afghan|"
    r"ukrainian|eritrean|somali|kurdish|haitian|congolese|romanian|portuguese|brazilian|"
    r"chinese|vietnamese|filipino|tibetan|expat\w*|r[ée]fugi[ée]e?s?|refugees?|"
    r"demandeu(?:r|se)s?\s+d['’]asile|asylum\s+seekers?|sans[\s-]papiers)\b)"
)
# a named school or a class one child is in: « en CM1 », « au lycée de Riom », « sec 2 »
SCHOOL: Final = re.compile(
    r"(?:\b(?:CP|CE1|CE2|CM1|CM2|ULIS|SEGPA)\b|\b[3-6](?:e|ème)\s+[A-F]\b|"
    r"\b(?i:en\s+(?:6|5|4|3)(?:e|ème)|en\s+(?:sixi[èe]me|cinqui[èe]me|quatri[èe]me|troisi[èe]me|"
    r"seconde|premi[èe]re|terminale|maternelle|primaire)|sec(?:ondaire)?\s*[1-5]\b|"
    r"(?:rentre|entre|passe)\s+au\s+(?:secondaire|coll[èe]ge|lyc[ée]e|primaire|cégep)|"
    r"polyvalente|(?:coll[èe]ge|lyc[ée]e|[ée]cole|cégep|cegep)\s+(?:de|d['’]|du)\s*(?-i:[A-ZÀ-Ý])|"
    r"international\s+school|(?:in\s+)?(?:grade|year)\s+\d{1,2}\b|middle\s+school|high\s+school))"
)
# an institution by its own name: « la MECS des Tilleuls », « EHPAD Les Glycines »
INSTITUTION: Final = re.compile(
    r"\b(?:MECS|EMS|EHPAD|CHSLD|RPA|IME|ITEP|IMPRO|ESAT|CADA|CHRS|FJT|(?i:foyer|home|"
    r"maison\s+de\s+repos|maison\s+d['’]enfants|r[ée]sidence|pension|pouponni[èe]re|"
    r"centre\s+jeunesse\s+de|centre\s+de\s+r[ée]adaptation))\s+(?:(?i:du|de\s+la|des|de|les|le|"
    r"la|l['’])\s*)?(?!(?i:de\s|du\s|la\s|le\s|les\s))[A-ZÀ-Ý][\wÀ-ÿ'’-]+"
)
# a hearing with its date: « audience le 9 avril », « audience jeudi 2 octobre »
HEARING: Final = re.compile(
    r"(?i:\baudience\s+(?:le\s+|du\s+|de\s+)?(?:(?:lundi|mardi|mercredi|jeudi|vendredi)\s+)?"
    r"\d{1,2}(?:er)?\s+(?:janv|f[ée]v|mars|avr|mai|juin|juil|ao[ûu]t|sept|oct|nov|d[ée]c)\w*|"
    r"\bhearing\s+(?:on\s+)?(?:monday|tuesday|wednesday|thursday|friday|\w+\s+\d{1,2}))"
)

CATEGORIES: Final = {
    "age": AGE,
    "family": FAMILY,
    "workplace": WORKPLACE,
    "unique_role": UNIQUE_ROLE,
    "event": EVENT,
    "rare": RARE,
    "physical": PHYSICAL,
    "minority": MINORITY,
    "school": SCHOOL,
    "institution": INSTITUTION,
    "hearing": HEARING,
}
# the categories that narrow the town down to a handful of people even without a second one
STRONG: Final = frozenset(
    {"unique_role", "event", "rare", "physical", "minority", "institution", "workplace"}
)
