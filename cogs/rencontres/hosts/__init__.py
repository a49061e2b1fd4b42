"""The member a moderator entrusts a meet-up to (« /rencontre confier », issue 17): a part of
Rencontres, on the feature template."""
