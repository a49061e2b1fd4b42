"""Guild scheduled events (state and payload)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from discord import EntityType, EventStatus, PrivacyLevel
from discord.enums import try_enum

if TYPE_CHECKING:
    from .world import User


@dataclass(eq=False)
class ScheduledEvent:
    id: int
    guild_id: int
    creator: User
    name: str
    scheduled_start_time: str
    scheduled_end_time: str | None = None
    description: str | None = None
    channel_id: int | None = None
    entity_type: EntityType = EntityType.external
    location: str | None = None
    privacy_level: PrivacyLevel = PrivacyLevel.guild_only
    status: EventStatus = EventStatus.scheduled
    deleted: bool = False

    def __setattr__(self, name: str, value: Any) -> None:
        kinds = {"entity_type": EntityType, "privacy_level": PrivacyLevel, "status": EventStatus}
        if name in kinds and isinstance(value, int):
            value = try_enum(kinds[name], value)  # numbers from a request body
        super().__setattr__(name, value)

    def payload(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "guild_id": str(self.guild_id),
            "channel_id": str(self.channel_id) if self.channel_id else None,
            "creator_id": str(self.creator.id),
            "creator": self.creator.payload(),
            "name": self.name,
            "description": self.description,
            "scheduled_start_time": self.scheduled_start_time,
            "scheduled_end_time": self.scheduled_end_time,
            "privacy_level": self.privacy_level.value,
            "status": self.status.value,
            "entity_type": self.entity_type.value,
            "entity_id": None,
            "entity_metadata": {"location": self.location} if self.location else None,
            "user_count": 0,
            "image": None,
            "recurrence_rule": None,
        }
