-- The engine prunes its ledger by age (bot.reminders.policy.Retention), and /config rappels
-- reads a server's latest problems: each gets the index its filter needs.

-- Problems only (a handful per server), newest first: the screen reads `limit` index entries.
-- The condition is repeated verbatim by the query (ReminderStore.recent_problems).
CREATE INDEX reminder_ledger_problems ON reminder_ledger (guild_id, at)
    WHERE status IN ('missed', 'failed');

-- Pruning walks the oldest rows first.
CREATE INDEX reminder_ledger_at ON reminder_ledger (at);

-- Served the problems query before; nothing else filters the ledger by server.
DROP INDEX reminder_ledger_guild;
