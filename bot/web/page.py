"""The public agenda page of a server (off unless a moderator turned it on).

Semantic, accessible HTML in the server's language: `lang`, one `h1`, a section per kind with
its `h2`, an `article` per event with its `h3`; every time in Paris and in Montréal as text, and
in the visitor's own zone filled in by a tiny inline script (`Intl.DateTimeFormat`) that the
CSP allows by its hash — without it the page is whole. Colours meet WCAG AA (text 16:1, links
8:1 on white), focus is always visible, and the layout is one readable column on a phone.

What it shows comes only from the agenda registry's values: titles, times, places, links to the
announcement and to a calendar file. No member's name, id or avatar can reach it: those values
carry none. Video links stay on Discord (a public page would hand them to anyone).
"""

from __future__ import annotations

import base64
import hashlib
from datetime import UTC, datetime
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as babel_format
from babel.dates import get_timezone_location

from bot.agenda import Agenda, AgendaEvent, AgendaSeries
from bot.i18n import babel_locale, format_datetime, t

PARIS = ZoneInfo("Europe/Paris")
MONTREAL = ZoneInfo("America/Montreal")
MAX_EVENTS = 100  # a page, not an archive
# Zones whose place name Babel gets wrong for our readers (America/Montreal is an alias).
_PLACES = {
    "Europe/Paris": "agenda.page.zone.paris",
    "America/Montreal": "agenda.page.zone.montreal",
    "America/Toronto": "agenda.page.zone.montreal",
}

CSS = """
:root{color-scheme:light}
*{box-sizing:border-box}
body{margin:0;background:#fff;color:#1a1a1a;font:1.0625rem/1.55 system-ui,-apple-system,
"Segoe UI",Roboto,"Noto Sans",sans-serif}
.skip{position:absolute;left:-999px;top:0;background:#1a1a1a;color:#fff;padding:.5rem 1rem}
.skip:focus{left:0}
header,main,footer{max-width:44rem;margin:0 auto;padding:1rem}
header{border-bottom:1px solid #767676}
h1{font-size:1.75rem;line-height:1.25;margin:.5rem 0}
h2{font-size:1.35rem;margin:2rem 0 .75rem}
h3{font-size:1.15rem;margin:0 0 .25rem}
ul.items{list-style:none;margin:0;padding:0}
ul.items>li{border:1px solid #767676;border-radius:.5rem;padding:1rem;margin:0 0 1rem}
.kind{margin:0 0 .5rem;color:#3d3d3d;font-size:.95rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.15rem .75rem;margin:.5rem 0}
dt{font-weight:600}
dd{margin:0}
a{color:#0b4f9c;text-decoration:underline;text-underline-offset:.15em}
a:focus-visible,a:focus{outline:3px solid #1a1a1a;outline-offset:2px;background:#fff3b0}
.actions{display:flex;flex-wrap:wrap;gap:.5rem 1.25rem;margin:.75rem 0 0}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{color:#3d3d3d;font-size:.95rem;border-top:1px solid #767676;margin-top:2rem}
@media (max-width:30rem){dl{grid-template-columns:1fr}dd{margin:0 0 .35rem}}
""".strip()

SCRIPT = """
(function(){try{var o=Intl.DateTimeFormat().resolvedOptions();var f=new Intl.DateTimeFormat(
document.documentElement.lang,{dateStyle:"full",timeStyle:"short"});}catch(e){return;}
var els=document.querySelectorAll("[data-instant]");for(var i=0;i<els.length;i++){var d=els[i];
d.textContent=f.format(new Date(d.getAttribute("data-instant")));d.hidden=false;
var l=d.previousElementSibling;if(l){l.hidden=false;}}
var zs=document.querySelectorAll("[data-zone]");for(var j=0;j<zs.length;j++){
zs[j].textContent=o.timeZone||"";}})();
""".strip()


def _csp_hash(source: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(source.encode()).digest()).decode() + "'"


CSP = (
    "default-src 'none'; "
    f"style-src {_csp_hash(CSS)}; script-src {_csp_hash(SCRIPT)}; "
    "img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def zone_place(zone: str, lang: str) -> str:
    if zone in _PLACES:
        return t(_PLACES[zone], lang)
    return str(get_timezone_location(zone, locale=babel_locale(lang), return_city=True))


def _times(start: datetime, lang: str) -> str:
    """Paris and Montréal as text; the visitor's zone filled in by the script."""
    instant = start.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    rows = [
        (t("agenda.page.zone.paris", lang), format_datetime(start, lang, PARIS)),
        (t("agenda.page.zone.montreal", lang), format_datetime(start, lang, MONTREAL)),
    ]
    out = [
        f'<dt>{escape(label)}</dt><dd><time datetime="{instant}">{escape(text)}</time></dd>'
        for label, text in rows
    ]
    out.append(
        f"<dt hidden>{escape(t('agenda.page.zone.yours', lang))}"
        " (<span data-zone></span>)</dt>"
        f'<dd hidden data-instant="{instant}"></dd>'
    )
    return "<dl>" + "".join(out) + "</dl>"


def _actions(item: AgendaEvent | AgendaSeries, guild_id: int, lang: str) -> str:
    title = escape(item.title)
    links = [
        f'<a href="/agenda/{guild_id}/{escape(item.key)}.ics">'
        f'{escape(t("agenda.page.add", lang))}<span class="sr"> : {title}</span></a>'
    ]
    if item.message_url:
        links.append(
            f'<a href="{escape(item.message_url)}" rel="noopener">'
            f'{escape(t("agenda.page.discord", lang))}<span class="sr"> : {title}</span></a>'
        )
    return '<p class="actions">' + "".join(links) + "</p>"


def _event(event: AgendaEvent, guild_id: int, lang: str) -> str:
    anchor = f"e-{escape(event.key)}"
    how = t("agenda.page.online", lang) if event.video_link and not event.place else None
    kind = t(event.kind, lang)
    details = [f'<p class="kind">{escape(kind)}{" · " + escape(how) if how else ""}</p>']
    details.append(_times(event.start, lang))
    if event.place:
        details.append(f"<p>{escape(t('agenda.page.place', lang, place=event.place))}</p>")
    return (
        f'<li><article aria-labelledby="{anchor}"><h3 id="{anchor}">{escape(event.title)}</h3>'
        + "".join(details)
        + _actions(event, guild_id, lang)
        + "</article></li>"
    )


def _series(series: AgendaSeries, guild_id: int, lang: str, now: datetime) -> str:
    anchor = f"s-{escape(series.key)}"
    zone = ZoneInfo(series.zone)
    sample = datetime.combine(series.first_day, series.at, tzinfo=zone)
    weekday = babel_format(sample, "EEEE", locale=babel_locale(lang, zone))
    clock = babel_format(sample, "HH:mm" if lang == "fr" else "h:mm a", locale=babel_locale(lang))
    rule = t(
        "agenda.page.series.rule",
        lang,
        weekday=weekday,
        time=clock,
        place=zone_place(series.zone, lang),
    )
    parts = [
        f'<p class="kind">{escape(t(series.kind, lang))} · {escape(rule)}</p>',
    ]
    upcoming = series.next_occurrences(now, 1)
    if upcoming:
        parts.append(f"<p>{escape(t('agenda.page.series.next', lang))}</p>")
        parts.append(_times(upcoming[0].start, lang))
    if series.place:
        parts.append(f"<p>{escape(t('agenda.page.place', lang, place=series.place))}</p>")
    return (
        f'<li><article aria-labelledby="{anchor}"><h3 id="{anchor}">{escape(series.title)}</h3>'
        + "".join(parts)
        + _actions(series, guild_id, lang)
        + "</article></li>"
    )


def holds_until(agenda: Agenda, now: datetime) -> datetime | None:
    """Until when `render(agenda, now=…)` gives the same page: the next occurrence it shows of
    each series changes once that occurrence has begun."""
    starts = [o.start for s in agenda.series for o in s.next_occurrences(now, 1)]
    return min(starts, default=None)


def render(agenda: Agenda, *, guild_id: int, server: str, lang: str, now: datetime) -> bytes:
    events = agenda.events[:MAX_EVENTS]
    sections = []
    sections.append(
        f'<section aria-labelledby="rencontres"><h2 id="rencontres">'
        f"{escape(t('agenda.page.events', lang))}</h2>"
        + (
            '<ul class="items">' + "".join(_event(e, guild_id, lang) for e in events) + "</ul>"
            if events
            else f"<p>{escape(t('agenda.page.no_events', lang))}</p>"
        )
        + "</section>"
    )
    if agenda.series:
        sections.append(
            f'<section aria-labelledby="series"><h2 id="series">'
            f"{escape(t('agenda.page.series', lang))}</h2>"
            '<ul class="items">'
            + "".join(_series(s, guild_id, lang, now) for s in agenda.series)
            + "</ul></section>"
        )
    title = escape(t("agenda.page.title", lang, server=server))
    html = (
        f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{title}</title><style>{CSS}</style></head><body>"
        f'<a class="skip" href="#contenu">{escape(t("agenda.page.skip", lang))}</a>'
        f"<header><h1>{title}</h1>"
        f"<p>{escape(t('agenda.page.intro', lang, server=server))}</p></header>"
        f'<main id="contenu" tabindex="-1">{"".join(sections)}</main>'
        f"<footer><p>{escape(t('agenda.page.footer', lang, server=server))}</p></footer>"
        f"<script>{SCRIPT}</script></body></html>"
    )
    return html.encode("utf-8")
