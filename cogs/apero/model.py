"""An apéro series as a plain value; no Discord, no SQL."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, replace
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo

from bot.recurrence import WeeklySpec
from cogs.apero.recurrence import Offset


@dataclass(frozen=True)
class SeriesFields:
    """What a moderator chooses; validated by the service before anything is written."""

    name: str
    weekday: int
    at_time: str  # 'HH:MM'
    zone: str
    channel_id: int
    link: str | None = None
    voice_channel_id: int | None = None
    role_id: int | None = None
    offsets: tuple[str, ...] = field(default_factory=tuple)  # Offset codes, earliest first
    welcome: str | None = None

    @property
    def spec(self) -> WeeklySpec:
        return WeeklySpec(self.weekday, time.fromisoformat(self.at_time), ZoneInfo(self.zone))

    @property
    def offset_values(self) -> list[Offset]:
        return [Offset.from_code(c) for c in self.offsets]

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> SeriesFields:
        data: dict[str, Any] = json.loads(text)
        data["offsets"] = tuple(data["offsets"])
        return cls(**data)

    def with_(self, **changes: Any) -> SeriesFields:
        return replace(self, **changes)


@dataclass(frozen=True)
class Series:
    id: int
    guild_id: int
    fields: SeriesFields
    paused: bool = False
    pause_reason: str | None = None
    created_by: int = 0

    @property
    def name(self) -> str:
        return self.fields.name

    @property
    def spec(self) -> WeeklySpec:
        return self.fields.spec


@dataclass(frozen=True)
class Draft:
    id: int
    guild_id: int
    author_id: int
    fields: SeriesFields
