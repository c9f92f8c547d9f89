"""Checks on annotated HTML shared by the property, hostile-Markdown and sanitiser tests.

`parse` reads HTML strictly (every element closed, in order) into a small tree; `check_marks` asserts
the contract's promises about marks; `unmarked_tokens` removes what annotation adds (marks and
sentence anchors), so that an annotated body can be compared with the same body converted without
annotation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())

MARK_CLASSES = ("dossier-mention", "dossier-term", "dossier-note")

ADDED_CLASSES = (*MARK_CLASSES, "dossier-sentence")
"""Everything annotation adds: the marks, and the empty anchors at the start of sentences."""

NO_MARK_INSIDE = frozenset("a abbr code pre kbd samp h1 h2 h3 h4 h5 h6 script style".split())
"""An entity or term mark never sits inside these; a note's `mark` may hold entity and term marks."""


@dataclass
class Node:
    tag: str
    attrs: dict[str, str | None]
    children: list[Node | str] = field(default_factory=list)
    parent: Node | None = None

    @property
    def mark(self) -> str | None:
        """Which dossier mark this element is, if it is one."""
        classes = (self.attrs.get("class") or "").split()
        return next((c for c in MARK_CLASSES if c in classes), None)

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def ancestors(self):
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def text(self) -> str:
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)


class _Strict(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {})
        self.open = [self.root]

    def handle_starttag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.open[-1])
        self.open[-1].children.append(node)
        if tag not in VOID:
            self.open.append(node)

    def handle_startendtag(self, tag, attrs):
        node = Node(tag, dict(attrs), parent=self.open[-1])
        self.open[-1].children.append(node)
        if tag not in VOID:
            raise AssertionError(f"<{tag}/> is not a void element, so it is not closed")

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        current = self.open[-1]
        if current.tag != tag:
            raise AssertionError(f"</{tag}> closes <{current.tag}>, at {self.getpos()}")
        self.open.pop()

    def handle_data(self, data):
        self.open[-1].children.append(data)


def parse(html: str) -> Node:
    """Parse HTML that must be well nested: every element closed, innermost first."""
    parser = _Strict()
    parser.feed(html)
    parser.close()
    if len(parser.open) != 1:
        raise AssertionError(f"<{parser.open[-1].tag}> is never closed")
    return parser.root


def marks(tree: Node) -> list[Node]:
    return [node for node in tree.iter() if node.mark]


def check_marks(tree: Node) -> list[Node]:
    """Assert the contract's promises on marks; return the marks."""
    found = marks(tree)
    for node in found:
        for ancestor in node.ancestors():
            if node.mark == "dossier-note":
                assert ancestor.mark is None, f"a note inside {ancestor.mark}: {node.text()!r}"
                assert ancestor.tag not in NO_MARK_INSIDE, f"a note inside <{ancestor.tag}>: {node.text()!r}"
            elif ancestor.mark != "dossier-note":
                assert ancestor.tag not in NO_MARK_INSIDE, f"{node.mark} inside <{ancestor.tag}>: {node.text()!r}"
                assert ancestor.mark is None, f"{node.mark} inside {ancestor.mark}: {node.text()!r}"
    ids = [node.attrs.get("id") for node in tree.iter() if node.attrs.get("id")]
    mark_ids = [node.attrs["id"] for node in found if node.attrs.get("id")]
    for mark_id in mark_ids:
        assert ids.count(mark_id) == 1, f"the id {mark_id!r} is not unique"
    for node in found:
        if node.mark != "dossier-note":
            assert node.attrs.get("id"), f"{node.mark} without an id"
    return found


class _Tokens(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tokens: list[tuple] = []
        self.ours: list[str] = []

    def _data(self, text: str) -> None:
        if self.tokens and self.tokens[-1][0] == "data":
            self.tokens[-1] = ("data", self.tokens[-1][1] + text)
        else:
            self.tokens.append(("data", text))

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if any(added in classes for added in ADDED_CLASSES):
            self.ours.append(tag)
            return
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_startendtag(self, tag, attrs):
        self.tokens.append(("start", tag, tuple(attrs)))

    def handle_endtag(self, tag):
        # A mark holds only text and other marks (an anchor, nothing), so the next end tag of its
        # name is its own.
        if self.ours and self.ours[-1] == tag:
            self.ours.pop()
            return
        self.tokens.append(("end", tag))

    def handle_data(self, data):
        self._data(data)

    def handle_comment(self, data):
        self.tokens.append(("comment", data))

    def handle_decl(self, decl):
        self.tokens.append(("decl", decl))

    def handle_pi(self, data):
        self.tokens.append(("pi", data))

    def unknown_decl(self, data):
        self.tokens.append(("unknown", data))


def unmarked_tokens(html: str) -> list[tuple]:
    """The HTML as a token list, without the dossier's marks and with adjacent text joined."""
    parser = _Tokens()
    parser.feed(html)
    parser.close()
    return parser.tokens


EXTENSION_SETS = {
    "python-markdown": (["extra", "admonition", "toc", "sane_lists", "smarty"], {"toc": {"permalink": True}}),
    "material": (
        [
            "abbr",
            "admonition",
            "attr_list",
            "def_list",
            "footnotes",
            "md_in_html",
            "tables",
            "toc",
            "pymdownx.highlight",
            "pymdownx.superfences",
            "pymdownx.details",
            "pymdownx.mark",
            "pymdownx.tilde",
            "pymdownx.caret",
            "pymdownx.keys",
            "pymdownx.smartsymbols",
        ],
        {"toc": {"permalink": True}},
    ),
}
"""Python-Markdown's own extensions, and what a Material site usually turns on."""


def convert(body: str, annotator, *, article=None, annotate: bool = True, extensions: str = "python-markdown"):
    """Convert a body as the plugin does, with or without the dossier's annotation: (html, Annotation)."""
    import markdown
    from mkdocs_dossier.text.extension import DossierExtension

    names, configs = EXTENSION_SETS[extensions]
    extension = DossierExtension(annotator)
    extension.article = article
    extension.active = annotate
    md = markdown.Markdown(extensions=[*names, extension], extension_configs=configs)
    return md.convert(body), extension.result


_ALL_TAGS = set(
    """
    a abbr address article aside audio b bdi bdo blockquote br button canvas caption cite code col colgroup
    data dd del details dfn dialog div dl dt em fieldset figcaption figure footer form h1 h2 h3 h4 h5 h6
    header hr i iframe img input ins kbd label legend li main mark nav noscript object ol option p picture
    pre q s samp section select small span strong sub summary sup table tbody td template textarea tfoot
    th thead time tr tt u ul var video wbr
    """.split()
)


def browser_view(html: str) -> str:
    """The HTML as a browser's parser nests it (html5ever, through nh3), keeping marks' attributes.

    Raw HTML in an article may leave a link or code open; a browser then carries it into the
    following blocks. Checking marks on this view checks them where readers see them.
    """
    import nh3

    return nh3.clean(
        html,
        tags=_ALL_TAGS,
        clean_content_tags=set(),
        attributes={
            "*": {
                "class",
                "id",
                "href",
                "title",
                "tabindex",
                "aria-describedby",
                "data-entity",
                "data-term",
                "data-note",
            }
        },
        strip_comments=True,
        link_rel=None,
    )


def check_annotated(annotated: str, plain: str) -> list[Node]:
    """Assert what annotation promises for one body: marks added and nothing else, marks only where
    the contract allows, unique ids, and well-formed HTML wherever Python-Markdown's own output is
    (deeply tangled emphasis can make Python-Markdown itself emit unbalanced tags). Returns the marks."""
    assert unmarked_tokens(annotated) == unmarked_tokens(plain)
    try:
        parse(plain)
    except AssertionError:
        found = check_marks(parse(browser_view(annotated)))
    else:
        found = check_marks(parse(annotated))
        check_marks(parse(browser_view(annotated)))
    return found
