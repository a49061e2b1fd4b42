"""The rules of small groups: splitting a meet-up's participants, honouring what they declared.

Pure: no Discord, no database. `split` is deterministic: the same members (in any order), the
same bounds and the same previous groups give the same groups.

* **Sizes.** Within what must stay together, groups are balanced (sizes differ by at most one)
  and, when some number of groups allows it, all within the bounds (default 4 to 6); among
  the counts that allow it, the one whose sizes are nearest the middle of the bounds (fewer
  groups on a tie), or the count of the previous split when it still allows it (stability).
  When no count does (7 people, 4 to 6), the one that strays least from the bounds.
* **What members declared**, when the organiser asked:
  - in person or by video: never mixed in a group (someone at the café cannot chat with a
    group on video); members who did not say go with the meet-up's own format;
  - their city: members of a city are grouped together when the city has enough of them for a
    group; the others (and those who did not say) form mixed groups; a mixed remainder too
    small for a group joins the largest city's;
  - France or Québec: each group mixes both sides of the Atlantic as evenly as it can.
* **Re-running** (after withdrawals or new sign-ups) moves as few people as possible: each
  previous group keeps as many of its members as its new size allows (the largest groups take
  the largest sizes), groups are dropped only when fewer are needed (the emptiest first), and
  only the members of dropped or overfull groups, and newcomers, are placed anew. Group
  numbers stay; a new group takes the next number.
"""

from __future__ import annotations

import heapq
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.i18n import tn
from bot.user_error import UserError

SIZE_MIN_DEFAULT, SIZE_MAX_DEFAULT = 4, 6
SIZE_LOWEST = 2  # a group of one is no group
SIZE_HIGHEST = 25  # a private thread where everyone can still talk
CITIES_MAX = 24  # a select's 25 options, one kept for « another city »
CITY_MAX = 50
OTHER_CITY = "*"  # what a member from a city not offered answers: grouped with the others


@dataclass(frozen=True)
class SignedUp:
    """« 1 personne inscrite », « 3 personnes inscrites »: a count in a refusal, worded once the
    member's language is known (a `bot.user_error.Localised` parameter)."""

    n: int

    def render(self, lang: str) -> str:
        return tn("rencontre.groups.signed_up", self.n, lang)


@dataclass(frozen=True)
class Member:
    """A participant as the split sees them: who, when they signed up, what they declared."""

    user_id: int
    seq: int
    mode: str | None = None  # "presentiel" | "visio"
    city: str | None = None
    side: str | None = None  # a side of the Atlantic ("europe" | "america")


@dataclass(frozen=True)
class Bounds:
    low: int = SIZE_MIN_DEFAULT
    high: int = SIZE_MAX_DEFAULT

    @property
    def middle(self) -> float:
        return (self.low + self.high) / 2


@dataclass(frozen=True)
class Criteria:
    """What the organiser asked members, and the meet-up's own format (for those who did
    not say how they come)."""

    by_mode: bool = False
    by_city: bool = False
    mix_sides: bool = False
    default_mode: str | None = None


Assignment = dict[int, int]  # user id → group number (1, 2, …)


def check_bounds(low: int, high: int, participants: int) -> Bounds:
    """The sizes the organiser asked for, against the participants there are."""
    if low < SIZE_LOWEST:
        raise UserError("rencontre.groups.error.too_small", size=low, lowest=SIZE_LOWEST)
    if high > SIZE_HIGHEST:
        raise UserError("rencontre.groups.error.too_big", size=high, highest=SIZE_HIGHEST)
    if high < low:
        raise UserError("rencontre.groups.error.bounds", low=low, high=high)
    if low > participants:
        raise UserError("rencontre.groups.error.not_enough", low=low, signed=SignedUp(participants))
    return Bounds(low, high)


# -- sizes ---------------------------------------------------------------------------------------
def sizes(n: int, k: int) -> list[int]:
    """`n` people in `k` balanced groups, largest first."""
    base, extra = divmod(n, k)
    return [base + 1] * extra + [base] * (k - extra)


def _stray(n: int, k: int, bounds: Bounds) -> int:
    """How far `n` people in `k` balanced groups stray from the bounds (0: all within)."""
    base, extra = divmod(n, k)

    def off(size: int) -> int:
        return max(0, bounds.low - size) + max(0, size - bounds.high)

    return extra * off(base + 1) + (k - extra) * off(base)


def group_count(n: int, bounds: Bounds, previous: int | None = None) -> int:
    """How many groups for `n` people (0 for nobody)."""
    if n <= 0:
        return 0
    fits = [k for k in range(1, n + 1) if _stray(n, k, bounds) == 0]
    if previous is not None and previous in fits:
        return previous
    candidates = fits or range(1, n + 1)
    return min(candidates, key=lambda k: (_stray(n, k, bounds), abs(n / k - bounds.middle), k))


# -- who must be together ------------------------------------------------------------------------
def _ordered(members: Iterable[Member]) -> list[Member]:
    unique = {m.user_id: m for m in members}
    return sorted(unique.values(), key=lambda m: (m.seq, m.user_id))


@dataclass(frozen=True)
class Layout:
    """The members of one way of coming (in person, by video): the sets split separately
    (a city with enough people each, then the others), and those too few for a group of
    their own, seated afterwards in the groups with room."""

    parts: list[list[Member]]
    spill: list[Member]


def _room(parts: list[list[Member]], bounds: Bounds) -> int:
    return sum(group_count(len(p), bounds) * bounds.high - len(p) for p in parts)


def layouts(members: Sequence[Member], bounds: Bounds, criteria: Criteria) -> list[Layout]:
    """By how members come (never mixed), then by city where a city has enough people for a
    group; in a stable order."""
    by_mode: dict[str, list[Member]] = defaultdict(list)
    for m in members:
        mode = (m.mode or criteria.default_mode or "") if criteria.by_mode else ""
        by_mode[mode].append(m)
    out: list[Layout] = []
    for mode in sorted(by_mode):
        group = by_mode[mode]
        if not criteria.by_city:
            out.append(Layout([group], []))
            continue
        cities = Counter(m.city for m in group if m.city)
        big = sorted(c for c, n in cities.items() if n >= bounds.low)
        parts = [[m for m in group if m.city == c] for c in big]
        rest = [m for m in group if m.city not in big]
        if not rest or len(rest) >= bounds.low or not parts:
            out.append(Layout(parts + ([rest] if rest else []), []))
        elif len(rest) <= _room(parts, bounds):
            out.append(Layout(parts, rest))  # seated where there is room
        else:  # no room either: they join the largest city's set
            largest = min(range(len(parts)), key=lambda i: (-len(parts[i]), i))
            parts[largest] = _ordered([*parts[largest], *rest])
            out.append(Layout(parts, []))
    return out


# -- the split -----------------------------------------------------------------------------------
def _claims(parts: list[list[Member]], previous: Mapping[int, int]) -> list[list[int]]:
    """Which previous groups each part may keep: a group goes to the part holding most of its
    remaining members (the first such part on a tie)."""
    counts: dict[int, list[int]] = defaultdict(lambda: [0] * len(parts))
    for index, part in enumerate(parts):
        for m in part:
            if m.user_id in previous:
                counts[previous[m.user_id]][index] += 1
    claims: list[list[int]] = [[] for _ in parts]
    for number, per_part in counts.items():
        best = max(range(len(parts)), key=lambda i: (per_part[i], -i))
        claims[best].append(number)
    return claims


@dataclass
class _Seats:
    """The groups being filled: room left in each, and the sides already seated."""

    room: dict[int, int]
    sides: dict[int, Counter[str | None]]

    def seat(self, m: Member, number: int, result: Assignment) -> None:
        result[m.user_id] = number
        self.room[number] -= 1
        self.sides[number][m.side] += 1


def _place(pool: list[Member], numbers: list[int], seats: _Seats, mix: bool) -> Assignment:
    """Seat the members of `pool` in the groups with room left: side by side across groups
    when mixing (each side dealt in turn: the group with fewest of that side), else the
    emptiest group first; ties to the group with most room, then the lowest number."""
    placed: Assignment = {}
    if mix:  # the largest side first, dealt across groups; those who did not say last
        count = Counter(m.side for m in pool if m.side)
        order = {s: i for i, s in enumerate(sorted(count, key=lambda s: (-count[s], s)))}
        pool = sorted(pool, key=lambda m: (order.get(m.side, len(order)), m.seq, m.user_id))

    def key(number: int, side: str | None) -> tuple[int, ...]:
        if side is None:
            return (-seats.room[number], number)
        return (seats.sides[number][side], -seats.room[number], number)

    # One heap per side, fixed lazily: keys only grow (rooms shrink, sides fill), so an entry
    # out of date is below its group's real key; it is put back with the real one.
    heaps: dict[str | None, list[tuple[tuple[int, ...], int]]] = {}

    def best(side: str | None) -> int:
        heap = heaps.get(side)
        if heap is None:
            heap = [(key(g, side), g) for g in numbers if seats.room[g] > 0]
            heapq.heapify(heap)
            heaps[side] = heap
        while True:
            entry, number = heap[0]
            if seats.room[number] <= 0:
                heapq.heappop(heap)
            elif entry != key(number, side):
                heapq.heapreplace(heap, (key(number, side), number))
            else:
                return number

    for m in pool:
        seats.seat(m, best(m.side if mix else None), placed)
    return placed


def split(
    members: Iterable[Member],
    bounds: Bounds,
    criteria: Criteria | None = None,
    previous: Mapping[int, int] | None = None,
) -> Assignment:
    """Each participant's group number. `previous`: the last split (user id → number), for a
    re-run that moves as few people as possible."""
    criteria = criteria or Criteria()
    previous = previous or {}
    found = layouts(_ordered(members), bounds, criteria)
    parts = [part for layout in found for part in layout.parts]
    claims = iter(_claims(parts, previous))
    next_number = max(previous.values(), default=0) + 1
    result: Assignment = {}
    for layout in found:
        numbers_here: list[int] = []
        seats = _Seats({}, {})
        for part in layout.parts:
            here = Counter(previous[m.user_id] for m in part if m.user_id in previous)
            kept = sorted(next(claims), key=lambda g: (-here[g], g))
            k = group_count(len(part), bounds, previous=len(kept) or None)
            numbers = kept[:k]
            while len(numbers) < k:
                numbers.append(next_number)
                next_number += 1
            seats.room |= dict(zip(numbers, sizes(len(part), k), strict=True))
            seats.sides |= {g: Counter() for g in numbers}
            pool: list[Member] = []
            for m in part:  # in sign-up order: the earliest stay when a group must shrink
                number = previous.get(m.user_id)
                if number in numbers and seats.room[number] > 0:
                    seats.seat(m, number, result)
                else:
                    pool.append(m)
            result |= _place(pool, numbers, seats, criteria.mix_sides)
            numbers_here += numbers
        if layout.spill:  # up to the upper bound, their previous group first
            seats.room = {
                g: bounds.high - sum(1 for n in result.values() if n == g) for g in numbers_here
            }
            pool = []
            for m in layout.spill:
                number = previous.get(m.user_id)
                if number in seats.room and seats.room[number] > 0:
                    seats.seat(m, number, result)
                else:
                    pool.append(m)
            result |= _place(pool, numbers_here, seats, criteria.mix_sides)
    return result


def groups_of(assignment: Mapping[int, int]) -> dict[int, list[int]]:
    """Group number → its members, both in order."""
    out: dict[int, list[int]] = defaultdict(list)
    for user_id, number in sorted(assignment.items(), key=lambda item: (item[1], item[0])):
        out[number].append(user_id)
    return dict(sorted(out.items()))


@dataclass(frozen=True)
class Changes:
    """What a (re-)split changes: who joins which group, who leaves which, groups gone."""

    joined: dict[int, list[int]]  # group number → members new to it
    left: dict[int, list[int]]  # group number → members no longer in it
    dropped: list[int]  # group numbers no longer used
    moved: int  # members in a group before and after, not the same one


def changes(before: Mapping[int, int], after: Mapping[int, int]) -> Changes:
    joined: dict[int, list[int]] = defaultdict(list)
    left: dict[int, list[int]] = defaultdict(list)
    moved = 0
    for user_id in sorted(set(before) | set(after)):
        old, new = before.get(user_id), after.get(user_id)
        if old == new:
            continue
        if new is not None:
            joined[new].append(user_id)
        if old is not None:
            left[old].append(user_id)
        moved += old is not None and new is not None
    dropped = sorted(set(before.values()) - set(after.values()))
    return Changes(dict(joined), dict(left), dropped, moved)


def parse_cities(text: str | None) -> tuple[str, ...]:
    """The cities the organiser offers: « Lyon ; Montréal ; Paris » (each once)."""
    if text is None:
        return ()
    cities: list[str] = []
    for piece in text.replace("\n", ";").split(";"):
        city = " ".join(piece.split())
        if not city:
            continue
        if len(city) > CITY_MAX:
            raise UserError(
                "rencontre.groups.error.city_too_long", city=city[:CITY_MAX], limit=CITY_MAX
            )
        if city.casefold() not in (c.casefold() for c in cities):
            cities.append(city)
    if len(cities) > CITIES_MAX:
        raise UserError("rencontre.groups.error.too_many_cities", n=len(cities), limit=CITIES_MAX)
    return tuple(cities)
