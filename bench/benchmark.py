"""Build a synthetic dossier with and without the plugin, in turns, and print the three figures it is held to.

    python3 bench/benchmark.py                 # 1,000 articles, 1,000 terms, 250 entities
    python3 bench/benchmark.py --big           # 5,000 articles, 2,000 terms, 10,000 entities
    python3 bench/benchmark.py --doubling      # the build's processor time with 1,000 and 2,000 articles

Each build runs `mkdocs build` in a fresh interpreter, as a user would. Each run builds the plain
site, the dossier as users build it (the defaults) and the dossier in one process (`parallel: false`),
in turns (the order reversed every other run), and every figure is the median of the runs' ratios:
the builds of one run follow each other, so the machine's drift touches them alike. Processor time
and peak memory are the kernel's for the build and the worker processes it waited for (the peak is
the largest resident set among them). The figures are per built page, as the dossier publishes more
pages than its articles. `--rebuild` also measures what `mkdocs serve` redoes when one article
changes; the matcher's throughput is measured in this process.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PLUGINS = HERE.parent / "plugins"
sys.path[:0] = [str(HERE), str(PLUGINS)]

import generate  # noqa: E402

SMALL = {"articles": 1000, "terms": 1000, "entities": 250}
BIG = {"articles": 5000, "terms": 2000, "entities": 10000}

REBUILD_SCRIPT = """
import json, os, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
config_file, site, article = sys.argv[1:4]
times = []
for edit in (False, True):
    if edit:
        path = Path(article)
        added = path.read_text(encoding="utf-8") + "\\nOne more paragraph, added while serving.\\n"
        path.write_text(added, encoding="utf-8")
    start = time.perf_counter()
    config = load_config(config_file, site_dir=site)
    if not edit:
        config.plugins.on_startup(command="serve", dirty=False)
    build(config)
    times.append(time.perf_counter() - start)
print(json.dumps(times))
"""


TARGETS = {"cpu_per_page": 1.6, "wall_per_page": 1.2, "memory_per_page": 1.5}
"""The most each figure may be, as a ratio to the plain build: processor time per page in one
process and wall time per page with the defaults (read at 1,000 articles), memory per page (read at
5,000 articles with `--big`)."""

KINDS = ("plain", "dossier", "one process")
"""The plain site, the dossier with the defaults, the dossier with `parallel: false`."""


def child_env() -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(PLUGINS), env.get("PYTHONPATH"))))
    return env


def build(project: Path, site: Path, config: str = "mkdocs.yml") -> dict:
    """Build one project in a fresh interpreter; wall time, processor time, peak memory, pages."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / config), "-d", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    files = [p for p in site.rglob("*") if p.is_file()]
    return {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss": usage.ru_maxrss * 1024,
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "site_bytes": sum(p.stat().st_size for p in files),
        "search_bytes": (site / "search" / "search_index.json").stat().st_size,
    }


def build_kind(workdir: Path, kind: str) -> dict:
    if kind == "plain":
        return build(workdir / "plain", workdir / "site-plain")
    config = "mkdocs.yml" if kind == "dossier" else generate.ONE_PROCESS
    return build(workdir / "dossier", workdir / f"site-{kind.replace(' ', '-')}", config)


def per_page(result: dict, key: str) -> float:
    return result[key] / result["pages"]


def load() -> str:
    return "load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg())


def doubling(size: dict, workdir: Path, seed: int, runs: int) -> dict:
    """The one-process build's processor time with `size` and with twice the articles, the two
    sizes in turns, so that the machine's drift falls on both alike."""
    doubled = dict(size, articles=2 * size["articles"])
    projects = {}
    for label, wanted in (("single", size), ("double", doubled)):
        projects[label] = workdir / label
        print(f"generating {wanted['articles']} articles, {wanted['terms']} terms, {wanted['entities']} entities")
        generate.write(projects[label], seed=seed, **wanted)
    times: dict[str, list[float]] = {"single": [], "double": []}
    for number in range(runs):
        for label in ("single", "double") if number % 2 == 0 else ("double", "single"):
            result = build_kind(projects[label], "one process")
            times[label].append(result["cpu"])
            print(f"  run {number + 1} {label:6} processor time {times[label][-1]:6.2f} s  ({load()})")
    single, double = (statistics.median(times[label]) for label in ("single", "double"))
    print(
        f"build's processor time, one process (median of {runs}): {single:.2f} s with {size['articles']} "
        f"articles, {double:.2f} s with {doubled['articles']}: {double / single:.2f} times"
    )
    return {**times, "ratio": double / single}


def throughput(forms_wanted: int, seed: int, megabytes: float = 2.0) -> float:
    """MB/s of `Matcher.find` over article paragraphs, with a registry of about `forms_wanted` forms."""
    from mkdocs_dossier.text.matcher import Matcher, Spelling, Target

    rng = random.Random(seed)
    # Three forms per entity, two per term: a quarter of the forms are terms.
    terms = forms_wanted // 8
    entities = (forms_wanted - 2 * terms) // 3
    registry = generate.make_registry(rng, terms, entities)
    spellings = [
        Spelling(form, Target(*key.split(":", 1)), key.startswith("entity:"))
        for key, forms in registry.forms.items()
        for form in forms
    ]
    matcher = Matcher(spellings)
    entity_ids = list(registry.entities)
    paragraphs, size = [], 0
    while size < megabytes * 1_000_000:
        body = generate.article_body(rng, rng.sample(entity_ids, 6), registry, "00000")
        for paragraph in body.split("\n\n"):
            paragraphs.append(paragraph)
            size += len(paragraph.encode("utf-8"))
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        found = sum(len(matcher.find(p)) for p in paragraphs)
        best = min(best, time.perf_counter() - start)
    return size / 1_000_000 / best, matcher.size, found


def rebuild(project: Path, site: Path) -> dict:
    """What a `mkdocs serve` rebuild costs after one article changed, in one process as serve runs."""
    articles = sorted((project / "dossier" / "articles").glob("*.md"))
    article = articles[len(articles) // 2]
    original = article.read_bytes()
    try:
        process = subprocess.run(
            [sys.executable, "-c", REBUILD_SCRIPT, str(project / "mkdocs.yml"), str(site), str(article)],
            env=child_env(),
            capture_output=True,
            text=True,
        )
    finally:
        article.write_bytes(original)
    if process.returncode != 0:
        raise SystemExit(f"the rebuild measurement failed:\n{process.stderr[-3000:]}")
    first, second = json.loads(process.stdout.strip().splitlines()[-1])
    return {"first": first, "second": second}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--big", action="store_true", help="5,000 articles, 2,000 terms, 10,000 entities")
    parser.add_argument("--articles", type=int)
    parser.add_argument("--terms", type=int)
    parser.add_argument("--entities", type=int)
    parser.add_argument("--runs", type=int, default=3, help="builds of each kind; figures are medians")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workdir", type=Path, help="where to generate and build (default: bench/out/<size>)")
    parser.add_argument("--rebuild", action="store_true", help="also measure a serve rebuild after one edit")
    parser.add_argument("--throughput", action="store_true", help="also measure the matcher's throughput")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--doubling",
        action="store_true",
        help="only measure how the build's processor time grows with twice the articles, the two sizes in turns",
    )
    args = parser.parse_args()

    size = dict(BIG if args.big else SMALL)
    for key in size:
        if getattr(args, key) is not None:
            size[key] = getattr(args, key)
    label = "big" if args.big else "small"
    if size != (BIG if args.big else SMALL):
        label = "{articles}-{terms}-{entities}".format(**size)
    workdir = args.workdir or HERE / "out" / label
    workdir.mkdir(parents=True, exist_ok=True)
    if args.doubling:
        report = doubling(size, workdir / "doubling", args.seed, args.runs)
        if args.json:
            args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")
        return
    print(f"generating {size['articles']} articles, {size['terms']} terms, {size['entities']} entities in {workdir}")
    written = generate.write(workdir, seed=args.seed, **size)
    print(f"  {written['events']} events, {written['surface_forms']} surface forms; {os.cpu_count()} cores, {load()}")

    results: dict[str, list[dict]] = {kind: [] for kind in KINDS}
    for number in range(args.runs):
        for kind in KINDS if number % 2 == 0 else reversed(KINDS):
            result = build_kind(workdir, kind)
            results[kind].append(result)
            print(
                f"  run {number + 1} {kind:12} {result['wall']:7.2f} s wall {result['cpu']:7.2f} s processor"
                f" {result['peak_rss'] / 2**20:6.0f} MiB {result['pages']:6} pages  ({load()})"
            )

    def ratios(kind: str, key: str) -> list[float]:
        return [
            per_page(run, key) / per_page(plain, key)
            for plain, run in zip(results["plain"], results[kind], strict=True)
        ]

    figures = {
        "cpu_per_page": ratios("one process", "cpu"),
        "wall_per_page": ratios("dossier", "wall"),
        "memory_per_page": ratios("dossier", "peak_rss"),
    }
    report = {"size": size, "written": written, "runs": args.runs, "results": results, "figures": {}}
    for kind, found in results.items():
        report[kind] = {key: statistics.median(r[key] for r in found) for key in found[0]}

    mib = 2**20
    print()
    print(f"{'(medians)':24}{'plain':>12}{'dossier':>12}{'one process':>13}")
    for name, key, scale, unit in (
        ("wall time", "wall", 1, "s"),
        ("processor time", "cpu", 1, "s"),
        ("peak memory", "peak_rss", 1 / mib, "MiB"),
    ):
        values = [report[kind][key] * scale for kind in KINDS]
        print(f"{name + ' (' + unit + ')':24}{values[0]:12.2f}{values[1]:12.2f}{values[2]:13.2f}")
    plain, dossier, one = (report[kind] for kind in KINDS)
    print(f"{'pages built':24}{plain['pages']:12.0f}{dossier['pages']:12.0f}{one['pages']:13.0f}")
    print(f"{'site size (MB)':24}{plain['site_bytes'] / 1e6:12.1f}{dossier['site_bytes'] / 1e6:12.1f}")
    print(f"{'search index (MB)':24}{plain['search_bytes'] / 1e6:12.1f}{dossier['search_bytes'] / 1e6:12.1f}")
    print()
    print("the three figures, dossier per page / plain per page (median of the runs' ratios; target):")
    for key, what in (
        ("cpu_per_page", "processor time per page, one process (parallel: false)"),
        ("wall_per_page", "wall time per page, defaults"),
        ("memory_per_page", "peak memory per page, defaults"),
    ):
        median = statistics.median(figures[key])
        report["figures"][key] = {"median": median, "runs": figures[key], "target": TARGETS[key]}
        verdict = "met" if median <= TARGETS[key] else "NOT met"
        runs = ", ".join(f"{ratio:.2f}" for ratio in figures[key])
        print(f"  {what:56}{median:6.2f}  (<= {TARGETS[key]}: {verdict}; runs {runs})")
    print(f"  ({os.cpu_count()} cores; {load()} at the end)")

    if args.throughput:
        print()
        print("matcher throughput (best of 3, 2 MB of article paragraphs):")
        report["throughput"] = {}
        for wanted in (1000, 30000):
            rate, forms, found = throughput(wanted, args.seed)
            report["throughput"][str(wanted)] = {"mb_per_s": rate, "forms": forms, "matches": found}
            print(f"  {forms:6} surface forms: {rate:6.2f} MB/s ({found} matches)")

    if args.rebuild:
        figures = rebuild(workdir / "dossier", workdir / "site-rebuild")
        report["rebuild"] = figures
        print()
        print("serve rebuild after editing one article (one process, as `mkdocs serve` runs):")
        print(f"  first build {figures['first']:.2f} s, rebuild {figures['second']:.2f} s")

    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
