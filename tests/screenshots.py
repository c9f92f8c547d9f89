"""Screenshots of the sample dossier's main pages, so that every change to the look is seen.

    python tests/screenshots.py                   # into docs/assets/screenshots/
    python tests/screenshots.py --out /tmp/shots  # elsewhere
    python tests/screenshots.py --site site/      # from a site already built

It builds the repository's sample into a temporary folder (as the tests do, with the sample's date),
opens each page from the file system in Debian's Chromium (driven by Playwright, every request off the
machine refused), and writes one full-page PNG per page, size and colour scheme: desktop 1280×800 and
phone 390×844, light and dark; and the screen of an article with a tooltip open, on a desktop (light)
and a phone (dark). The PNGs are reduced to a palette of colours, which keeps the folder to
a few megabytes and the screenshots sharp (text and flat colours, nothing photographic).
"""

from __future__ import annotations

import argparse
import io
import os
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from tools import CHROMIUM_FLAGS, chromium  # noqa: E402

SOURCE_DATE_EPOCH = "1675728000"
"""The day of the sample's event, as the tests build it: the pages carry that date, not today's."""

PAGES = {
    "home": "index.html",
    "article": "articles/ap-lavrov-pledges-military-aid.html",
    "entity": "entities/sergei-lavrov.html",
    "event": "events/lavrov-visits-mali-2023.html",
    "glossary": "glossary.html",
    "entities": "entities/index.html",
    "timeline": "events/index.html",
}

TOOLTIP = ("article-tooltip", PAGES["article"], "[data-article] abbr.dossier-term")
"""Besides the full pages, the screen a reader sees with a tooltip open on the article's first term,
on a desktop in the light scheme and on a phone in the dark one."""
TOOLTIP_SHOTS = {("desktop", "light"), ("phone", "dark")}

SIZES = {
    "desktop": {"viewport": {"width": 1280, "height": 800}},
    "phone": {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True},
}

SCHEMES = {"light": "default", "dark": "slate"}
"""Each colour scheme, and the name Material gives it."""

COLOURS = 32
"""Colours in each PNG's palette: enough for anti-aliased text on the theme's few flat colours."""


def build(site: Path) -> None:
    env = {
        **os.environ,
        "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH,
        "PYTHONHASHSEED": "0",
        "NO_MKDOCS_2_WARNING": "1",
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "plugins"), os.environ.get("PYTHONPATH")])),
    }
    command = [sys.executable, "-m", "mkdocs", "build", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(f"The sample does not build:\n{result.stderr}")


def compressed(png: bytes) -> bytes:
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def set_scheme(page, scheme: str) -> None:
    """Choose the scheme as a reader would with the palette toggle, or, on a site without one, as
    Material would from the palette it is configured with."""
    page.evaluate(
        """(scheme) => {
            const input = document.querySelector(`input[name="__palette"][data-md-color-scheme="${scheme}"]`);
            if (input && !input.checked) {
                input.click();
            }
            if (document.body.getAttribute("data-md-color-scheme") !== scheme) {
                document.body.setAttribute("data-md-color-scheme", scheme);
            }
        }""",
        scheme,
    )


def open_page(page, site: Path, path: str, scheme: str) -> None:
    page.goto((site / path).as_uri())
    set_scheme(page, scheme)
    page.wait_for_load_state("load")


def open_tooltip(page, selector: str, touch: bool) -> None:
    """Show the tooltip of the first mark that `selector` finds, as a reader would: a tap on a touch
    screen, the pointer over it elsewhere."""
    mark = page.locator(selector).first
    mark.evaluate("(e) => e.scrollIntoView({block: 'center'})")
    if touch:
        mark.tap()
    else:
        mark.hover()
    page.locator("#dossier-tooltip").wait_for()


def shoot(site: Path, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    executable = chromium()
    if executable is None:
        sys.exit("No Chromium to drive: install Debian's (apt-get install chromium), or set CHROMIUM to one.")
    out.mkdir(parents=True, exist_ok=True)
    written = []

    def save(png: bytes, name: str) -> None:
        target = out / f"{name}.png"
        target.write_bytes(compressed(png))
        written.append(target)

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS, headless=True)
        for size, options in SIZES.items():
            for scheme_name, scheme in SCHEMES.items():
                colour_scheme = "dark" if scheme == "slate" else "light"
                context = browser.new_context(device_scale_factor=1, color_scheme=colour_scheme, **options)
                context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
                page = context.new_page()
                for name, path in PAGES.items():
                    open_page(page, site, path, scheme)
                    save(page.screenshot(full_page=True, animations="disabled"), f"{name}-{size}-{scheme_name}")
                if (size, scheme_name) in TOOLTIP_SHOTS:
                    name, path, selector = TOOLTIP
                    open_page(page, site, path, scheme)
                    open_tooltip(page, selector, touch=options.get("has_touch", False))
                    save(page.screenshot(animations="disabled"), f"{name}-{size}-{scheme_name}")
                context.close()
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "assets" / "screenshots")
    parser.add_argument("--site", type=Path, help="a site already built from the sample (default: build it)")
    args = parser.parse_args()
    if args.site:
        written = shoot(args.site.resolve(), args.out)
    else:
        with tempfile.TemporaryDirectory() as folder:
            site = Path(folder) / "site"
            build(site)
            written = shoot(site, args.out)
    total = sum(path.stat().st_size for path in written)
    print(f"{len(written)} screenshots in {args.out}, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
