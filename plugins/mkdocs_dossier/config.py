"""The `dossier` plugin's options in `mkdocs.yml`."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config

from .analysis.compare import CompareOptions
from .analysis.variants import VariantOptions
from .text.extension import MENTION_LINKS


class ComparisonConfig(Config):
    """How the event pages pair the outlets' sentences and quotes (see `compare.CompareOptions`)."""

    threshold = c.Type((int, float), default=CompareOptions.threshold)
    """The lowest score at which two statements count as reporting the same fact (see the guide)."""

    entity_weight = c.Type((int, float), default=CompareOptions.entity_weight)
    """How much a shared entity counts against a shared word of the same rarity."""

    word_weight = c.Type((int, float), default=CompareOptions.word_weight)
    """How much a shared content word counts."""

    figure_weight = c.Type((int, float), default=CompareOptions.figure_weight)
    """How much a shared number or kind of figure counts against a shared word of the same rarity."""

    link = c.Type((int, float), default=CompareOptions.link)
    """A fact cluster joins another only if every two of their statements score this share of the threshold."""

    min_words = c.Type(int, default=CompareOptions.min_words)
    """Sentences with fewer words are left out of the comparison."""

    quote_threshold = c.Type((int, float), default=CompareOptions.quote_threshold)
    """The lowest word-level similarity, 0 to 1, at which two quotes count as the same words."""

    def options(self) -> CompareOptions:
        return CompareOptions(**{name: self[name] for name in CompareOptions.__dataclass_fields__})


class VariantsConfig(Config):
    """The name-variant check, which reports unregistered spellings as info messages."""

    enabled = c.Type(bool, default=True)
    """Turn the check off."""

    cutoff = c.Type((int, float), default=VariantOptions.cutoff)
    """The rapidfuzz ratio, 0 to 100, from which a name counts as a spelling of a registered one."""

    min_articles = c.Type(int, default=VariantOptions.min_articles)
    """In how many articles an unregistered name must appear to be reported."""

    def options(self) -> VariantOptions:
        return VariantOptions(**{name: self[name] for name in VariantOptions.__dataclass_fields__})


class DossierConfig(Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off, for example for a quick build of the hand-written pages only."""

    dossier_dir = c.Type(str, default="dossier")
    """The folder holding `articles/` and the YAML registries, relative to `mkdocs.yml`."""

    term_marks = c.Choice(("first", "all"), default="first")
    """Mark a glossary term at its first use in each article only, or at every use."""

    mention_links = c.Choice(MENTION_LINKS, default="section")
    """Which entity mentions in an article are links to the entity's page: the first of each entity in
    each section (`section`, as Wikipedia links a name once), the first in each paragraph
    (`paragraph`), or every one (`all`). The others are quiet: no link, no tab stop, still anchors
    with `data-entity` and an id, so that the entity's page links to each."""

    sanitize = c.Type(bool, default=True)
    """Clean the HTML of article bodies (no scripts, event handlers, `javascript:` links or frames).
    Turn it off only for a dossier whose every source is trusted."""

    comparison = c.SubConfig(ComparisonConfig)
    """How event pages compare the coverage: `threshold`, weights; see docs/guide/options.md."""

    name_variants = c.SubConfig(VariantsConfig)
    """The check for unregistered spellings of names."""

    offline = c.Type(bool, default=False)
    """Make the built site readable from the file system with no network: search works from `file://`
    through a worker shim served from the site's own assets, links point at `.html` files, and
    anything that would still load from the network is reported."""

    parallel = c.Type(bool, default=True)
    """Compare the events' coverage in worker processes (one per core beside the build's, at most
    four) while MkDocs writes the other pages; `mkdocs serve`, a single core and `false` compare them
    in the build's own process."""
