"""Fetching from the outside world without becoming a way into the inside one.

`SafeFetcher.get(url)` fetches one resource politely (timeouts, a size cap, conditional GET, one
request at a time per host with a minimum interval) and refuses server-side request forgery:
http and https only, no address that resolves to loopback, private, link-local, multicast,
reserved or unspecified ranges (IPv4 and IPv6, addresses embedded in IPv6 included), checked
after DNS resolution and on every redirect, and the connection made to the very address that was
checked (`addresses.GuardedResolver`), so a DNS answer that changes between the check and the
connection cannot slip through.
"""

from bot.net.addresses import Forbidden, GuardedResolver, forbidden_reason
from bot.net.fetch import Fetched, FetchError, FetchPolicy, FetchProblem, SafeFetcher

__all__ = [
    "FetchError",
    "FetchPolicy",
    "FetchProblem",
    "Fetched",
    "Forbidden",
    "GuardedResolver",
    "SafeFetcher",
    "forbidden_reason",
]
