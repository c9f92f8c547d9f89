"""What makes a built site readable from the file system, with no network at all.

A page opened from `file://` may not start a Web Worker nor fetch JSON, and Material's search needs
both. Material's `offline` plugin writes the search index as a script and loads a worker shim from a
CDN; the dossier does the same with a shim of its own among the site's assets, so that no request
leaves the machine. What would still reach the network (a remote script or style, web fonts) is
reported, not silently dropped.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from urllib.parse import urlsplit

WORKER_SHIM = "assets/dossier/iframe-worker.js"
"""Its name holds `iframe-worker`, so Material's `offline` plugin, when also on, adds no CDN copy."""

SEARCH_INDEX = "search/search_index.json"
SEARCH_SCRIPT = "search/search_index.js"


def is_remote(url: object) -> bool:
    text = str(url)
    return text.startswith("//") or urlsplit(text).scheme in ("http", "https")


def local_polyfills(polyfills: Iterable[object], shim: str = WORKER_SHIM) -> list[object]:
    """The theme's polyfills with our worker shim first, and any remote worker shim left out."""
    kept = [p for p in polyfills if not (is_remote(p) and "iframe-worker" in str(p)) and str(p) != shim]
    return [shim, *kept]


def remote_resources(settings: dict[str, Iterable[object]]):
    """(setting, URL) of every style or script, among the settings' lists, loaded from the network."""
    for setting, urls in settings.items():
        for url in urls:
            if is_remote(url):
                yield setting, str(url)


def network_loads(config) -> list[str]:
    """What a MkDocs configuration would still load from the network once offline, in the words of a
    problem of `mkdocs.yml`: remote styles and scripts, and Material's web fonts. Its polyfills are
    taken as `local_polyfills` leaves them."""
    loaded = {
        "extra_css": config.extra_css,
        "extra_javascript": config.extra_javascript,
        "extra.polyfills": local_polyfills(config.extra.get("polyfills", [])),
    }
    found = [
        f"{setting} loads {url} from the network, which an offline reader does not have"
        for setting, url in remote_resources(loaded)
    ]
    if config.theme.name == "material" and config.theme.get("font") is not False:
        found.append("theme.font loads web fonts from the network; set 'font: false' to read offline")
    return found


def write_search_script(site_dir: Path) -> Path | None:
    """Copy the search index into a script that defines `__index`, which Material loads on `file://`."""
    index = site_dir / SEARCH_INDEX
    if not index.is_file():
        return None
    script = site_dir / SEARCH_SCRIPT
    script.write_text(f"var __index = {index.read_text(encoding='utf-8')}", encoding="utf-8")
    return script
