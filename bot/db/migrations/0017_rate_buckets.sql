-- One request budget for every process of the bot (issue 19): Discord's global limit is per
-- bot, not per process. A token bucket per name, refilled by the database's own clock (the
-- processes' clocks need not agree); used on PostgreSQL, where several processes share it.
CREATE TABLE rate_buckets (
    name    TEXT PRIMARY KEY,
    rate    DOUBLE PRECISION NOT NULL,     -- tokens a second
    burst   DOUBLE PRECISION NOT NULL,     -- at most this many saved up
    tokens  DOUBLE PRECISION NOT NULL,     -- negative: requests already promised a later slot
    stamp   DOUBLE PRECISION NOT NULL      -- epoch seconds of the last refill
);
