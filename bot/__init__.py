"""Passerelle: a Discord bot for francophone social-work communities (France–Québec)."""
