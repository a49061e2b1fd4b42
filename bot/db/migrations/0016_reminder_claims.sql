-- Several bot processes share the due items (issue 19): the engine claims an item for a while
-- (a lease) before it sends it, so no two processes handle the same occurrence, and a process
-- that died loses its claims when their lease runs out.
ALTER TABLE reminder_items ADD COLUMN claimed_by TEXT;          -- the claiming process; NULL: free
ALTER TABLE reminder_items ADD COLUMN lease_until INTEGER;      -- unix seconds, UTC
-- A process renews what it holds (claimed_by = ?), and wakes when another's lease runs out
-- (lease_until > ?): the claims are few, each lookup an index range.
CREATE INDEX reminder_items_claimed ON reminder_items (claimed_by);
CREATE INDEX reminder_items_lease ON reminder_items (lease_until);
