"""Measure the event comparison against hand labels: same-fact pairs and "only in one report".

    python3 bench/evaluate_comparison.py                  # dev, test and the sample, at the default threshold
    python3 bench/evaluate_comparison.py --part dev       # one part only (dev, test or sample)
    python3 bench/evaluate_comparison.py --curve          # also the precision-recall curve
    python3 bench/evaluate_comparison.py --signals        # dev only: what each signal of the score adds
    python3 bench/evaluate_comparison.py --ranking        # what the pair score allows, whatever the clustering

The labelled sets are `tests/data/comparison/dev` and `tests/data/comparison/test` (real public-domain
news, see the README there) and the sample dossier (`dossier/`, labelled in `tests/data/sample_pairs.yml`).
A pair the comparison makes is every two sentences of different articles that it groups together; it is
right when the labels put both sentences in one fact. An item of "only in one report" is right when it
is a statement (not a heading, dateline, credit, greeting or question) that no sentence of another
article reports. Figures are micro-averaged over the events of a part.

`--ranking` sets the clustering aside: it ranks every two statements of different articles of an event
by their score alone and reads precision and recall at every score of that ranking, as a threshold on
the score would cut it. It tells how well the score itself tells same-fact pairs from the rest, and so
whether what is missing lies in the score or in the clustering.
"""

from __future__ import annotations

import argparse
import dataclasses
import itertools
import sys
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT / "plugins"))

from mkdocs_dossier.analysis.compare import CompareOptions, compare_event, score_matrix, statements_of  # noqa: E402
from mkdocs_dossier.command.check import annotate as annotate_articles  # noqa: E402
from mkdocs_dossier.sources.loader import load_dossier  # noqa: E402

DATA = ROOT / "tests" / "data"
PARTS = {
    "dev": (DATA / "comparison" / "dev", DATA / "comparison" / "dev" / "labels.yml"),
    "test": (DATA / "comparison" / "test", DATA / "comparison" / "test" / "labels.yml"),
    "sample": (ROOT / "dossier", DATA / "sample_pairs.yml"),
}
CURVE = (1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 3.0, 3.5, 4.0)

Key = tuple[str, str]
"""(article id, sentence id)."""


def annotate(folder: Path):
    """Load a dossier folder and annotate every article as a build does: (dossier, annotations)."""
    dossier, _ = load_dossier(folder)
    return dossier, annotate_articles(dossier, extensions=[])


class LabelError(ValueError):
    pass


def find_sentence(annotation, article_id: str, text: str) -> str:
    """The id of the sentence of an article that is `text`, or the one sentence that starts with it."""
    exact = [s.id for s in annotation.sentences if s.text == text]
    if len(exact) == 1:
        return exact[0]
    found = [s.id for s in annotation.sentences if s.text.startswith(text)]
    if len(found) != 1:
        raise LabelError(f"{article_id}: {text!r} opens {len(found)} sentences, not one")
    return found[0]


@dataclass
class EventLabels:
    facts: list[tuple[str, frozenset[Key]]]
    not_statements: frozenset[Key]

    @property
    def pairs(self) -> set[frozenset[Key]]:
        """Every same-fact pair of sentences of different articles."""
        return {
            frozenset((a, b))
            for _, members in self.facts
            for a, b in itertools.combinations(members, 2)
            if a[0] != b[0]
        }

    @property
    def shared(self) -> set[Key]:
        """The sentences that another article reports too."""
        return {key for pair in self.pairs for key in pair}


def read_labels(path: Path, annotations: Mapping) -> dict[str, EventLabels]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    labels = {}
    for event_id, event in data.items():

        def keys(by_article: Mapping[str, Iterable[str]], event_id: str = event_id) -> frozenset[Key]:
            found = set()
            for article_id, texts in (by_article or {}).items():
                if article_id not in annotations:
                    raise LabelError(f"{path.name}: {event_id}: no article {article_id!r}")
                for text in texts:
                    found.add((article_id, find_sentence(annotations[article_id], article_id, text)))
            return frozenset(found)

        facts = [(fact.get("what", ""), keys(fact["sentences"])) for fact in event.get("facts") or []]
        labels[event_id] = EventLabels(facts, keys(event.get("not_statements")))
    return labels


@dataclass
class Score:
    made: int = 0
    right: int = 0
    labelled: int = 0
    found: int = 0
    only: int = 0
    only_right: int = 0
    compared_non_statements: list[str] = field(default_factory=list)
    listed_non_statements: list[str] = field(default_factory=list)
    mistakes: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)

    def add(self, other: Score) -> None:
        for f in dataclasses.fields(self):
            setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))

    @property
    def precision(self) -> float:
        return self.right / self.made if self.made else 1.0

    @property
    def recall(self) -> float:
        return self.found / self.labelled if self.labelled else 1.0

    @property
    def only_accuracy(self) -> float:
        return self.only_right / self.only if self.only else 1.0

    def line(self) -> str:
        return (
            f"precision {self.precision:.2f} ({self.right}/{self.made})  recall {self.recall:.2f} "
            f"({self.found}/{self.labelled})  only-in-one {self.only_accuracy:.2f} ({self.only_right}/{self.only})"
            f"  non-statements compared {len(self.compared_non_statements)}, listed {len(self.listed_non_statements)}"
        )


def score_event(comparison, labels: EventLabels) -> Score:
    texts = {
        (s.article.id, s.sentence.id): s.sentence.text for group in comparison.shared for s in group.statements
    } | {(a.id, s.sentence.id): s.sentence.text for a, found in comparison.only for s in found}
    gold = labels.pairs
    made = {
        frozenset(((a.article.id, a.sentence.id), (b.article.id, b.sentence.id)))
        for group in comparison.shared
        for a, b in itertools.combinations(group.statements, 2)
        if a.article.id != b.article.id
    }
    score = Score(made=len(made), right=len(made & gold), labelled=len(gold), found=len(made & gold))

    def show(pair: frozenset[Key]) -> tuple[str, str]:
        a, b = sorted(pair)
        return texts.get(a, a[1])[:70], texts.get(b, b[1])[:70]

    score.mistakes = [show(pair) for pair in sorted(made - gold, key=sorted)]
    score.missed = [tuple(f"{k[0]}#{k[1]}" for k in sorted(pair)) for pair in sorted(gold - made, key=sorted)]
    shared = labels.shared
    for group in comparison.shared:
        for s in group.statements:
            if (s.article.id, s.sentence.id) in labels.not_statements:
                score.compared_non_statements.append(s.sentence.text)
    for article, statements in comparison.only:
        for s in statements:
            key = (article.id, s.sentence.id)
            score.only += 1
            if key in labels.not_statements:
                score.listed_non_statements.append(s.sentence.text)
            elif key not in shared:
                score.only_right += 1
    return score


def evaluate(part: str, options: CompareOptions | None = None, loaded=None) -> dict[str, Score]:
    """Each event's score, and the part's under the key '' ."""
    folder, label_file = PARTS[part]
    dossier, annotations = loaded or annotate(folder)
    labels = read_labels(label_file, annotations)
    scores: dict[str, Score] = {}
    total = Score()
    for event_id in sorted(labels):
        articles = dossier.coverage.get(event_id, [])
        comparison = compare_event(dossier.events[event_id], articles, annotations, dossier.entities, options)
        scores[event_id] = score_event(comparison, labels[event_id])
        total.add(scores[event_id])
    scores[""] = total
    return scores


@dataclass
class Ranking:
    """Precision and recall at each score, down the ranking of every cross-article pair of statements."""

    precision: list[float]
    recall: list[float]

    def precision_at(self, recall: float) -> float:
        """The best precision at this recall or more; 0 if the ranking never reaches it."""
        return max((p for p, r in zip(self.precision, self.recall, strict=True) if r >= recall), default=0.0)

    def recall_at(self, precision: float) -> float:
        """The best recall at this precision or more; 0 if no depth has it."""
        return max((r for p, r in zip(self.precision, self.recall, strict=True) if p >= precision), default=0.0)

    def best_f1(self) -> tuple[float, float, float]:
        """(F1, precision, recall) at the depth with the best F1."""
        return max(
            ((2 * p * r / (p + r) if p + r else 0.0), p, r) for p, r in zip(self.precision, self.recall, strict=True)
        )


def ranking(part: str, options: CompareOptions, loaded) -> Ranking:
    """Every two statements of different articles of each event of a part, ranked by their score, with
    precision and recall at each score, taking in every pair of that score (as a threshold would)."""
    folder, label_file = PARTS[part]
    dossier, annotations = loaded
    labels = read_labels(label_file, annotations)
    ranked: list[tuple[float, bool]] = []
    labelled = 0
    for event_id in sorted(labels):
        gold = labels[event_id].pairs
        labelled += len(gold)
        articles = [a for a in dossier.coverage.get(event_id, []) if a.id in annotations]
        every = [s for a in articles for s in statements_of(a, annotations[a.id], options)]
        score = score_matrix(every, options)
        for i, j in itertools.combinations(range(len(every)), 2):
            first, second = every[i], every[j]
            if first.article.id != second.article.id:
                pair = frozenset(((first.article.id, first.sentence.id), (second.article.id, second.sentence.id)))
                ranked.append((float(score[i, j]), pair in gold))
    ranked.sort(key=lambda item: -item[0])
    precision, recall, right = [], [], 0
    for depth, (score, same) in enumerate(ranked, 1):
        right += same
        if depth == len(ranked) or ranked[depth][0] != score:
            precision.append(right / depth)
            recall.append(right / labelled if labelled else 1.0)
    return Ranking(precision, recall)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--part", choices=sorted(PARTS), action="append", help="the part(s) to measure")
    parser.add_argument("--curve", action="store_true", help="also print the precision-recall curve")
    parser.add_argument("--threshold", type=float, help="measure at this threshold instead of the default")
    parser.add_argument("--mistakes", action="store_true", help="list the wrong and the missed pairs")
    parser.add_argument("--signals", action="store_true", help="on dev: the figures with each signal left out")
    parser.add_argument("--ranking", action="store_true", help="what the pair score allows, whatever the clustering")
    args = parser.parse_args(argv)
    parts = args.part or ["dev", "test", "sample"]
    default = CompareOptions()
    options = dataclasses.replace(default, threshold=args.threshold) if args.threshold is not None else default
    loaded = {part: annotate(PARTS[part][0]) for part in parts}
    print(f"Threshold {options.threshold}")
    for part in parts:
        scores = evaluate(part, options, loaded[part])
        print(f"\n{part}: {scores[''].line()}")
        for event_id, score in scores.items():
            if event_id:
                print(f"  {event_id}: {score.line()}")
                if args.mistakes:
                    for a, b in score.mistakes:
                        print(f"      wrong: {a!r}  ~  {b!r}")
                    for a, b in score.missed:
                        print(f"      missed: {a}  ~  {b}")
                for text in score.compared_non_statements + score.listed_non_statements:
                    print(f"      not a statement, shown: {text[:80]!r}")
    if args.curve:
        print("\nPrecision-recall curve (precision / recall at each threshold):")
        print("  threshold  " + "  ".join(f"{part:>11}" for part in parts))
        for threshold in CURVE:
            cells = []
            for part in parts:
                total = evaluate(part, dataclasses.replace(options, threshold=threshold), loaded[part])[""]
                cells.append(f"{total.precision:.2f} / {total.recall:.2f}")
            print(f"  {threshold:9.2f}  " + "  ".join(f"{cell:>11}" for cell in cells))
    if args.ranking:
        print("\nThe pair score's ranking, every cross-article pair of statements of an event, no clustering:")
        for part in parts:
            found = ranking(part, options, loaded[part])
            f1, precision, recall = found.best_f1()
            print(
                f"  {part}: best F1 {f1:.2f} (P {precision:.2f}, R {recall:.2f}); "
                f"P at R 0.30 {found.precision_at(0.3):.2f}, at R 0.60 {found.precision_at(0.6):.2f}; "
                f"R at P 0.80 {found.recall_at(0.8):.2f}"
            )
    if args.signals:
        from mkdocs_dossier.analysis.compare import SIGNALS

        dev = loaded.get("dev") or annotate(PARTS["dev"][0])
        base = evaluate("dev", options, dev)[""]
        print(f"\nSignals, on dev (all: P {base.precision:.2f} R {base.recall:.2f}):")
        for signal in SIGNALS:
            without = dataclasses.replace(options, **{signal: 0.0})
            total = evaluate("dev", without, dev)[""]
            print(f"  without {signal}: P {total.precision:.2f} R {total.recall:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
