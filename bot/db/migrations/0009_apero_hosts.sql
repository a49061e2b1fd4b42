-- Apéro hosts (issue 17): a member a moderator chose runs one series (edit, pause, skip, resume,
-- announce). NULL: the moderators only. Cleared when the host leaves or erases their data.
ALTER TABLE apero_series ADD COLUMN host_id INTEGER;
-- /mes-donnees reads and erases by member: the series a member hosts or created.
CREATE INDEX apero_series_host ON apero_series (host_id);
CREATE INDEX apero_series_creator ON apero_series (created_by);
-- Unconfirmed previews are forgotten by age.
CREATE INDEX apero_drafts_created ON apero_drafts (created_at);
