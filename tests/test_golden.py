"""Golden pages: the sample dossier's generated content, compared with reviewed copies in tests/golden.

Only the plugin's own fragment of each page is compared (the `<article class="dossier-…">` element), so
that a theme update does not churn the files. After an intended change, rewrite them with
`pytest tests/test_golden.py --update-golden` and review the diff like any other change.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
PAGES = [
    "articles/afp-lavrov-arrives-in-mali.html",
    "articles/ap-lavrov-pledges-military-aid.html",
    "articles/index.html",
    "entities/index.html",
    "entities/assimi-goita.html",
    "entities/mali.html",
    "entities/wagner-group.html",
    "events/index.html",
    "events/lavrov-visits-mali-2023.html",
    "glossary.html",
]
FRAGMENT = re.compile(r'<article class="dossier-.*?</article>', re.DOTALL)


def fragment(html: str) -> str:
    found = FRAGMENT.search(html)
    assert found, "the page has no dossier fragment"
    return found.group(0) + "\n"


@pytest.mark.parametrize("page", PAGES)
def test_sample_page_matches_its_golden_copy(sample_site, page, request):
    actual = fragment((sample_site / page).read_text(encoding="utf-8"))
    golden = GOLDEN / page
    if request.config.getoption("--update-golden"):
        golden.parent.mkdir(parents=True, exist_ok=True)
        golden.write_text(actual, encoding="utf-8")
        return
    assert golden.exists(), f"no golden copy of {page}; run pytest --update-golden and review it"
    expected = golden.read_text(encoding="utf-8")
    if actual != expected:
        diff = "".join(difflib.unified_diff(expected.splitlines(True), actual.splitlines(True), f"golden/{page}", page))
        pytest.fail(f"{page} differs from its golden copy:\n{diff}")
