"""The exactly-once reminder engine shared by every feature that posts at a set time."""

from bot.reminders.engine import ReminderEngine
from bot.reminders.model import DueItem, OneShotHandler, Outgoing, ReminderHandler, Schedule

__all__ = [
    "DueItem",
    "OneShotHandler",
    "Outgoing",
    "ReminderEngine",
    "ReminderHandler",
    "Schedule",
]
