"""Date polls (« /rencontre sondage »): a part of Rencontres, on the feature template."""
