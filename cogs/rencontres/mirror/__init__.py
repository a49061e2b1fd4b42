"""The Discord scheduled event that mirrors each meet-up: a part of Rencontres."""
