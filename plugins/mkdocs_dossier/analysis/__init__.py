"""Analysis of what the articles say: the comparison of an event's coverage, quotes and who said them,
and spellings of names that the registries do not list yet."""
