"""The exactly-once reminder engine shared by every feature that posts at a set time."""

from bot.reminders.engine import ReminderEngine
from bot.reminders.model import (
    DueItem,
    OneShotHandler,
    Outgoing,
    Problem,
    ReminderHandler,
    Schedule,
)

__all__ = [
    "DueItem",
    "OneShotHandler",
    "Outgoing",
    "Problem",
    "ReminderEngine",
    "ReminderHandler",
    "Schedule",
]
