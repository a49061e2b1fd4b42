"""Feature packages, one per capability; each exposes async setup(bot)."""
