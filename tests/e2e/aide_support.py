"""`/aide` as a member reads it: every page, followed with « Suivant » / « Next »."""

from __future__ import annotations


async def aide_pages(world, user) -> str:
    """Every page of `/aide` as `user` reads it (the message is edited in place)."""
    reply = await world.guild.slash(user, "aide")
    pages = [reply.text]
    while True:
        labels = ("Suivant", "Next")
        following = [b for b in reply.message.buttons() if b.get("label", "").startswith(labels)]
        if not following or following[0].get("disabled"):  # one page: no buttons
            return "\n".join(pages)
        reply = await reply.click(following[0]["custom_id"], by=user)
        pages.append(reply.text)
