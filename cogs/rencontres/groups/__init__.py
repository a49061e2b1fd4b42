"""Small groups of a meet-up (« /rencontre groupes »): a part of Rencontres, on the
feature template."""
