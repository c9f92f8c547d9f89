"""Build a synthetic dossier with and without the plugin, in turns, and print what each cost.

    python3 bench/benchmark.py                 # 1,000 articles, 1,000 terms, 250 entities
    python3 bench/benchmark.py --big           # 5,000 articles, 2,000 terms, 10,000 entities
    python3 bench/benchmark.py --doubling      # the plugin's time with 1,000 and 2,000 articles

Each build runs `mkdocs build` in a fresh interpreter, as a user would; the plain build and the
dossier build alternate, and every figure is the median of the runs. The plugin reports its own time
by stage through `MKDOCS_DOSSIER_TIMINGS`. Peak memory is the largest resident set among the build's
processes (the build and the second processes it forks); processor time counts all of them.
The matcher's throughput is measured in this process on article text, with 1,000 and 30,000 surface
forms. `--rebuild` also measures what `mkdocs serve` redoes when one article changes. `--doubling`
only builds the dossier with the given number of articles and with twice as many, in turns, and
compares the plugin's processor time, with the second processes and in one process.
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
from mkdocs_dossier.timings import NO_BACKGROUND  # noqa: E402

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


def child_env(timings: Path | None = None) -> dict[str, str]:
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, (str(PLUGINS), env.get("PYTHONPATH"))))
    env.pop("MKDOCS_DOSSIER_TIMINGS", None)
    if timings is not None:
        env["MKDOCS_DOSSIER_TIMINGS"] = str(timings)
    return env


def build(project: Path, site: Path, timings: Path | None, config: str = "mkdocs.yml") -> dict:
    """Build one project in a fresh interpreter; wall time, peak memory and what the site holds."""
    command = [sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(project / config), "-d", str(site)]
    start = time.perf_counter()
    process = subprocess.Popen(command, env=child_env(timings), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{stderr[-3000:]}")
    files = [p for p in site.rglob("*") if p.is_file()]
    result = {
        "wall": wall,
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss": usage.ru_maxrss * 1024,
        "pages": sum(1 for p in files if p.suffix == ".html"),
        "site_bytes": sum(p.stat().st_size for p in files),
        "search_bytes": (site / "search" / "search_index.json").stat().st_size,
    }
    if timings is not None and timings.exists():
        measured = json.loads(timings.read_text(encoding="utf-8"))
        result["stages"], result["stages_cpu"] = measured["seconds"], measured["cpu"]
        result["background"] = measured.get("background", NO_BACKGROUND)
        timings.unlink()
    else:
        result["stages"] = result["stages_cpu"] = {}
        result["background"] = NO_BACKGROUND
    return result


def median(results: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in results)


def plugin_cpu(result: dict) -> float:
    """The plugin's own processor time in a dossier build: in the build, and in its second processes
    (MkDocs converting articles there left out)."""
    return sum(result["stages_cpu"].values()) + result["background"].get("plugin_cpu", 0.0)


def doubling(size: dict, workdir: Path, seed: int, runs: int) -> dict:
    """The plugin's processor time with `size` and with twice the articles, the dossier builds of the
    two sizes alternated, so that the machine's drift falls on both alike; as users build (with the
    second processes) and in one process, where the figure only grows with the work itself, without
    the two processes contending for the cores or the share of work moving between them."""
    doubled = dict(size, articles=2 * size["articles"])
    projects = {}
    for label, wanted in (("single", size), ("double", doubled)):
        projects[label] = workdir / label
        print(f"generating {wanted['articles']} articles, {wanted['terms']} terms, {wanted['entities']} entities")
        generate.write(projects[label], seed=seed, **wanted)
    builds = [(label, mode) for mode in ("parallel", "one process") for label in ("single", "double")]
    times: dict[tuple[str, str], list[float]] = {key: [] for key in builds}
    for number in range(runs):
        for label, mode in builds if number % 2 == 0 else reversed(builds):
            project = projects[label]
            config = "mkdocs.yml" if mode == "parallel" else generate.ONE_PROCESS
            result = build(project / "dossier", project / "site-dossier", project / "timings.json", config)
            times[label, mode].append(plugin_cpu(result))
            print(f"  run {number + 1} {label:6} {mode:11} plugin's processor time {times[label, mode][-1]:6.2f} s")
    report = {}
    for mode, what in (("parallel", "all processes"), ("one process", "parallel: false")):
        single, double = (statistics.median(times[label, mode]) for label in ("single", "double"))
        print(
            f"plugin's processor time, {what} (median of {runs}): {single:.2f} s with "
            f"{size['articles']} articles, {double:.2f} s with {doubled['articles']}: {double / single:.2f} times"
        )
        report[mode] = {"single": times["single", mode], "double": times["double", mode], "ratio": double / single}
    return report


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
    timings = site.parent / "rebuild-timings.json"
    try:
        process = subprocess.run(
            [sys.executable, "-c", REBUILD_SCRIPT, str(project / "mkdocs.yml"), str(site), str(article)],
            env=child_env(timings),
            capture_output=True,
            text=True,
        )
    finally:
        article.write_bytes(original)
    if process.returncode != 0:
        raise SystemExit(f"the rebuild measurement failed:\n{process.stderr[-3000:]}")
    first, second = json.loads(process.stdout.strip().splitlines()[-1])
    return {"first": first, "second": second, "stages": json.loads(timings.read_text(encoding="utf-8"))}


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
    parser.add_argument("--no-throughput", action="store_true", help="skip the matcher's throughput")
    parser.add_argument("--json", type=Path, help="also write every figure to this file")
    parser.add_argument(
        "--doubling",
        action="store_true",
        help="only measure how the plugin's time grows with twice the articles, the two sizes in turns",
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
    print(f"  {written['events']} events, {written['surface_forms']} surface forms")

    results: dict[str, list[dict]] = {"plain": [], "dossier": []}
    for number in range(args.runs):
        order = ("plain", "dossier") if number % 2 == 0 else ("dossier", "plain")
        for kind in order:
            timings = workdir / "timings.json" if kind == "dossier" else None
            result = build(workdir / kind, workdir / f"site-{kind}", timings)
            results[kind].append(result)
            print(
                f"  run {number + 1} {kind:8} {result['wall']:7.2f} s wall  {result['cpu']:7.2f} s processor"
                f"  {result['peak_rss'] / 2**20:6.0f} MiB"
            )

    dossier = results["dossier"]
    report = {"size": size, "written": written, "runs": args.runs}
    for kind, found in results.items():
        report[kind] = {
            key: median(found, key) for key in ("wall", "cpu", "peak_rss", "pages", "site_bytes", "search_bytes")
        }
    stages = {name: statistics.median(r["stages"][name] for r in dossier) for name in dossier[0]["stages"]}
    stages_cpu = {name: statistics.median(r["stages_cpu"][name] for r in dossier) for name in dossier[0]["stages_cpu"]}
    report["stages"], report["stages_cpu"] = stages, stages_cpu
    background = {key: statistics.median(r["background"].get(key, 0) for r in dossier) for key in NO_BACKGROUND}
    report["background"] = background
    p, d = report["plain"], report["dossier"]
    per_page_time = (d["wall"] / d["pages"]) / (p["wall"] / p["pages"])
    per_page_cpu = (d["cpu"] / d["pages"]) / (p["cpu"] / p["pages"])
    per_page_memory = (d["peak_rss"] / d["pages"]) / (p["peak_rss"] / p["pages"])
    own, own_cpu = sum(stages.values()), sum(stages_cpu.values())
    # A run's two builds follow each other, so their ratio is the least touched by the machine's drift:
    # the median of these ratios is the figure the targets are read on.
    by_run = [
        (dossier_run["wall"] / dossier_run["pages"]) / (plain_run["wall"] / plain_run["pages"])
        for plain_run, dossier_run in zip(results["plain"], dossier, strict=True)
    ]
    report["ratios"] = {
        "wall": d["wall"] / p["wall"],
        "time_per_page": per_page_time,
        "time_per_page_by_run": by_run,
        "time_per_page_median_of_runs": statistics.median(by_run),
        "cpu_per_page": per_page_cpu,
        "memory_per_page": per_page_memory,
        "plugin_share": own / d["wall"],
        "plugin_share_cpu": (own_cpu + background["plugin_cpu"]) / d["cpu"],
    }

    def row(label: str, plain: float, dossier: float, ratio: float, digits: int = 2) -> None:
        print(f"{label:24}{plain:12.{digits}f}{dossier:12.{digits}f}{ratio:8.2f}")

    mib, kib = 2**20, 1024
    print()
    print(f"{'':24}{'plain':>12}{'dossier':>12}{'ratio':>8}")
    row("wall time (median, s)", p["wall"], d["wall"], d["wall"] / p["wall"])
    row("pages built", p["pages"], d["pages"], d["pages"] / p["pages"], 0)
    row("time per page (ms)", 1000 * p["wall"] / p["pages"], 1000 * d["wall"] / d["pages"], per_page_time)
    runs_listed = ", ".join(f"{ratio:.2f}" for ratio in by_run)
    print(f"  run by run: {runs_listed}; their median {statistics.median(by_run):.2f}")
    row("processor time (s)", p["cpu"], d["cpu"], d["cpu"] / p["cpu"])
    row("processor per page (ms)", 1000 * p["cpu"] / p["pages"], 1000 * d["cpu"] / d["pages"], per_page_cpu)
    row("peak memory (MiB)", p["peak_rss"] / mib, d["peak_rss"] / mib, d["peak_rss"] / p["peak_rss"], 0)
    row("memory per page (KiB)", p["peak_rss"] / kib / p["pages"], d["peak_rss"] / kib / d["pages"], per_page_memory, 1)
    row("site size (MB)", p["site_bytes"] / 1e6, d["site_bytes"] / 1e6, d["site_bytes"] / p["site_bytes"], 1)
    row("search index (MB)", p["search_bytes"] / 1e6, d["search_bytes"] / 1e6, d["search_bytes"] / p["search_bytes"], 1)
    print()
    if not stages:
        print("the plugin reported no timings (a version without MKDOCS_DOSSIER_TIMINGS)")
    print("plugin's own time by stage (median, s):  wall  processor")
    for name, seconds in stages.items():
        print(f"  {name:10}{seconds:8.2f}{stages_cpu[name]:11.2f}")
    print(f"  {'total':10}{own:8.2f}{own_cpu:11.2f}")
    print(
        f"  in second processes, beside the build: {background['seconds']:.2f} s wall, "
        f"{background['cpu']:.2f} s processor, {background['plugin_cpu']:.2f} s of it the plugin's own "
        "(the rest is MkDocs converting the articles there)"
    )
    print(
        f"    they converted {background['shared_articles']:.0f} of the {size['articles']} articles, rendered the "
        f"index pages and {background['shared_pages']:.0f} of the {size['entities'] + written['events']} entity "
        "and event pages, ran the name-variant check and wrote the exports; the build's waits for them are in "
        "generate and write"
    )
    print(
        f"  share of the dossier build: {100 * own / d['wall']:.1f}% of its wall time; "
        f"{100 * (own_cpu + background['plugin_cpu']) / d['cpu']:.1f}% of its processor time, all processes"
    )

    if not args.no_throughput:
        print()
        print("matcher throughput (best of 3, 2 MB of article paragraphs):")
        report["throughput"] = {}
        for wanted in (1000, 30000):
            rate, forms, found = throughput(wanted, args.seed)
            report["throughput"][str(wanted)] = {"mb_per_s": rate, "forms": forms, "matches": found}
            print(f"  {forms:6} surface forms: {rate:6.2f} MB/s ({found} matches)")
        small, large = (report["throughput"][k]["mb_per_s"] for k in ("1000", "30000"))
        print(f"  30,000 forms run at {large / small:.2f} of the speed at 1,000")

    if args.rebuild:
        figures = rebuild(workdir / "dossier", workdir / "site-rebuild")
        report["rebuild"] = figures
        print()
        print("serve rebuild after editing one article (one process, as `mkdocs serve` runs):")
        print(f"  first build {figures['first']:.2f} s, rebuild {figures['second']:.2f} s")
        print(
            f"  plugin's own time in the rebuild: {figures['stages']['total']:.2f} s "
            f"({', '.join(f'{k} {v:.2f}' for k, v in figures['stages']['seconds'].items())})"
        )

    if args.json:
        args.json.write_text(json.dumps(report, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
