"""Everything the articles' annotation found, gathered for the pages that list it.

Each article adds its `Annotation` once; the views (mentions by entity, entities that appear together,
term uses) are built in one pass over what was added, so no page costs a scan of the whole dossier.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from functools import cached_property

from ..sources.model import Annotation, Article, Dossier, Mention, TermUse


class AnnotationIndex:
    def __init__(self, dossier: Dossier) -> None:
        self.dossier = dossier
        self.by_article: dict[str, Annotation] = {}

    def add(self, article: Article, annotation: Annotation) -> None:
        self.by_article[article.id] = annotation
        self.__dict__.pop("_views", None)

    @cached_property
    def _views(self):
        mentions: dict[str, dict[str, list[Mention]]] = defaultdict(dict)
        terms: dict[str, dict[str, list[TermUse]]] = defaultdict(dict)
        together: dict[str, Counter] = defaultdict(Counter)
        for article in self.dossier.articles_by_date:
            annotation = self.by_article.get(article.id)
            if annotation is None:
                continue
            present = []
            for mention in annotation.mentions:
                mentions[mention.entity].setdefault(article.id, []).append(mention)
                if len(mentions[mention.entity][article.id]) == 1:
                    present.append(mention.entity)
            for use in annotation.terms:
                terms[use.term].setdefault(article.id, []).append(use)
            for entity_id in present:
                together[entity_id].update(other for other in present if other != entity_id)
        return mentions, terms, together

    def mentions_of(self, entity_id: str) -> dict[str, list[Mention]]:
        """The entity's mentions by article id, articles in date order."""
        return self._views[0].get(entity_id, {})

    def mention_count(self, entity_id: str) -> int:
        return sum(len(found) for found in self.mentions_of(entity_id).values())

    def uses_of(self, term_id: str) -> dict[str, list[TermUse]]:
        """The term's uses by article id, articles in date order."""
        return self._views[1].get(term_id, {})

    def appears_with(self, entity_id: str) -> list[tuple[str, int]]:
        """Other entities mentioned in the same articles, with the number of articles they share."""
        counts = self._views[2].get(entity_id, Counter())
        return sorted(counts.items(), key=lambda item: (-item[1], self.dossier.entities[item[0]].name.casefold()))

    def spellings_of(self, entity_id: str) -> list[tuple[str, int]]:
        """Every spelling seen for the entity, most frequent first."""
        counts = Counter(m.text for found in self.mentions_of(entity_id).values() for m in found)
        return sorted(counts.items(), key=lambda item: (-item[1], item[0]))
