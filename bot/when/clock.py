"""Wall-clock times as people write them: the rules shared by dates and weekly recurrences."""

from __future__ import annotations

from datetime import time

HOURS_PER_HALF_DAY = 12
LAST_HOUR = 23
LAST_MINUTE = 59  # also the last second
LAST_DAY_OF_ANY_MONTH = 31
MONTHS_PER_YEAR = 12


def wall_time(hour: int, minute: int = 0, second: int = 0, ampm: str | None = None) -> time | None:
    """The time `hour:minute:second` (12-hour with `ampm` "am"/"pm"), or None if impossible."""
    if ampm:
        if not 1 <= hour <= HOURS_PER_HALF_DAY:
            return None
        hour = hour % HOURS_PER_HALF_DAY + (HOURS_PER_HALF_DAY if ampm == "pm" else 0)
    if hour > LAST_HOUR or minute > LAST_MINUTE or second > LAST_MINUTE:
        return None
    return time(hour, minute, second)
