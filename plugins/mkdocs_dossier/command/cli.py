"""The `dossier` command: import saved web pages, check the sources, for people and for CI.

    dossier new my-dossier
    dossier import saved/*.html --event lavrov-visits-mali-2023
    dossier check --format github
    dossier suggest >> suggestions.yml
    dossier diff main --format github

`check` and `suggest` read `mkdocs.yml` with MkDocs' own loader, as a build does (`!ENV`, `INHERIT`
and the defaults included); `import` reads it leniently, since it may run before the site can be
built. All find the dossier folder there: the `dossier_dir` of the `dossier` plugin (default
`dossier`), unless `--dossier` names it.
"""

from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

import click
import yaml

from ..analysis.variants import VariantOptions, find_variants, findings_as_yaml
from ..sources.loader import SLUG, did_you_mean, load_dossier, read_registry
from ..sources.problems import Problems, counted
from .check import annotate, check_dossier, fails, format_github, format_text, summary
from .diff import diff_revisions
from .diff_report import github_annotations, render_markdown
from .importer import ExtractionFailure, import_page
from .new import TargetExists, create_dossier
from .revisions import DiffError
from .settings import CONFIG_NAMES, Settings, load_settings


class _LenientLoader(yaml.SafeLoader):
    """Reads `mkdocs.yml` without running anything: tags like `!ENV` or `!!python/name:` become None."""


_LenientLoader.add_multi_constructor("!", lambda loader, suffix, node: None)
_LenientLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)


def _named_dossier_dir(config_file: Path | None) -> Path:
    """The dossier folder that `mkdocs.yml` names, read leniently: `dossier import` may run before the
    site can be built (no `docs` folder yet), where MkDocs' loader would refuse the configuration."""
    config_file = config_file or Path("mkdocs.yml")
    folder = "dossier"
    try:
        config = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_LenientLoader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        config = None
    plugins = config.get("plugins") if isinstance(config, dict) else None
    entries = plugins if isinstance(plugins, list) else [plugins] if isinstance(plugins, dict) else []
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("dossier"), dict):
            folder = str(entry["dossier"].get("dossier_dir") or folder)
    return config_file.parent / folder


def _settings(config_file: Path | None, dossier: Path | None, render=None) -> tuple[Settings | None, Problems]:
    """What a build would read of `config_file` (see `settings.load_settings`), and its problems.

    Problems that stop a build are printed and end the command, unless `render` is given (the check
    prints them among its own). Without `--dossier`, a configuration that cannot be loaded ends the
    command, since the dossier folder is unknown; so does a folder with neither `mkdocs.yml` nor
    `dossier/`, which is most likely the wrong folder.
    """
    settings, problems = load_settings(config_file)
    if settings is not None and settings.config_file is None and dossier is None and not settings.dossier_dir.exists():
        problems.error(
            Path(CONFIG_NAMES[0]),
            0,
            "is not in this folder, and neither is a dossier folder: run the command in the folder that holds "
            "mkdocs.yml, or name it with -f (or the dossier folder with --dossier)",
        )
        settings = None
    if render is None or (settings is None and dossier is None):
        cwd = Path.cwd()
        for problem in problems:
            click.echo((render or format_text)(problem, cwd, cwd), err=render is None)
        if settings is None:
            if render is not None:
                found = counted(len(problems), "problem", "problems")
                click.echo(f"{found} in the configuration; the dossier was not checked.")
            sys.exit(1)
    return settings, problems


def _resolve_dossier(dossier: Path | None, settings: Settings | None) -> Path:
    return (dossier if dossier is not None else settings.dossier_dir).resolve()


_dossier_option = click.option(
    "--dossier",
    "dossier",
    type=click.Path(file_okay=False, path_type=Path),
    help="The dossier folder. Default: the plugin's dossier_dir in mkdocs.yml, or ./dossier.",
)
_config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The MkDocs configuration, read as a build reads it. Default: ./mkdocs.yml, if there is one.",
)
_import_config_option = click.option(
    "-f",
    "--config-file",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="The MkDocs configuration, read only for the plugin's dossier_dir. Default: ./mkdocs.yml.",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="mkdocs-dossier")
def main() -> None:
    """Tools for a news dossier published with mkdocs-dossier."""


@main.command("new")
@click.argument("directory", type=click.Path(path_type=Path))
@click.option("--title", help="The site's name. Default: made from DIRECTORY's name.")
def new(directory: Path, title: str | None) -> None:
    """Start a dossier in DIRECTORY, which must not exist yet.

    It holds a Material site with the dossier plugin reading offline, a light and dark palette and
    search; one example article, entity, term and event; a how-to-read page; and the GitHub workflow
    that checks and builds it. `cd DIRECTORY && mkdocs build --strict` builds it as it is.
    """
    try:
        written = create_dossier(directory, title)
    except TargetExists:
        click.echo(
            f"{_shown(directory)} already exists; dossier new never writes into an existing folder, so give it "
            "a new folder's name",
            err=True,
        )
        sys.exit(1)
    except OSError as error:
        click.echo(f"{_shown(directory)}: cannot be created ({error.strerror or error})", err=True)
        sys.exit(1)
    shown = _shown(directory.resolve())
    click.echo(f"Created {shown} with {len(written)} files:")
    for path in written:
        click.echo(f"  {path.as_posix()}")
    click.echo(f"Next: cd {shown} && mkdocs build --strict, then open site/index.html in a browser.")


@main.command("import")
@click.argument("pages", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--event",
    "events",
    multiple=True,
    metavar="ID",
    help="An event id from events.yml that the articles cover; repeat for several.",
)
@click.option("--outlet", help="The outlet's name, when the pages do not give it (or give it wrongly).")
@_dossier_option
@_import_config_option
def import_pages(
    pages: tuple[Path, ...], events: tuple[str, ...], outlet: str | None, dossier: Path | None, config_file: Path | None
) -> None:
    """Turn saved web pages (PAGES: .html files) into dossier articles.

    Each page becomes `articles/<id>.md`, its id made of the outlet and the title, with the title,
    outlet, author, publication date, address and language in the front matter and the text as
    Markdown. An existing article is never overwritten. Nothing is fetched from the network.
    """
    root = (dossier if dossier is not None else _named_dossier_dir(config_file)).resolve()
    for event_id in events:
        if not SLUG.match(event_id):
            raise click.BadParameter(
                f"'{event_id}' is not an event id (lowercase letters, digits and hyphens)", param_hint="--event"
            )
    if events:
        _check_events(root, events)
    folder = root / "articles"
    folder.mkdir(parents=True, exist_ok=True)
    written, skipped, failed = [], [], []
    for page, result in _extract_all(pages, outlet, events):
        if isinstance(result, ExtractionFailure):
            failed.append(result)
            continue
        target = folder / f"{result.id}.md"
        try:
            with target.open("x", encoding="utf-8") as out:
                out.write(result.source())
        except FileExistsError:
            skipped.append((page, target))
            continue
        written.append((page, target))
    for page, target in written:
        click.echo(f"{page}: imported as {_shown(target)}")
    for page, target in skipped:
        click.echo(
            f"{page}: skipped, {_shown(target)} already exists; delete or rename it to import the page again", err=True
        )
    for failure in failed:
        click.echo(f"{failure.path}: could not be imported: {failure.reason}", err=True)
    click.echo(
        f"{len(written)} imported, {len(skipped)} skipped, {len(failed)} could not be imported.",
        err=bool(skipped or failed),
    )
    if failed:
        sys.exit(1)


@main.command("check")
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="text: one problem a line; github: GitHub Actions annotations, shown on a pull request's diff.",
)
@_dossier_option
@_config_option
def check(output: str, dossier: Path | None, config_file: Path | None) -> None:
    """Check the dossier's sources without building, and print every problem.

    `mkdocs.yml` is read as a build reads it, and the articles go through the Markdown extensions it
    configures. Exits with status 1 if there is any error or warning (what `mkdocs build --strict`
    refuses), 0 otherwise.
    """
    render = format_github if output == "github" else format_text
    settings, config_problems = _settings(config_file, dossier, render)
    root = _resolve_dossier(dossier, settings)
    found, problems = check_dossier(root, settings if settings is not None else Settings(dossier_dir=root))
    cwd = Path.cwd()
    for problem in config_problems:
        click.echo(render(problem, cwd, cwd))
    for problem in problems:
        click.echo(render(problem, root.parent, cwd))
    problems.extend(config_problems)
    click.echo(summary(found, problems))
    if fails(problems):
        sys.exit(1)


@main.command("suggest")
@click.option(
    "--cutoff",
    type=click.FloatRange(0, 100),
    help="How close (0 to 100) a name must be to a registered spelling to be taken for a variant of it. "
    f"Default: name_variants' cutoff in mkdocs.yml, or {VariantOptions.cutoff:g}.",
)
@click.option(
    "--min-articles",
    type=click.IntRange(1),
    help="In how many articles an unregistered name must appear to be suggested as a new entity. "
    f"Default: name_variants' min_articles in mkdocs.yml, or {VariantOptions.min_articles}.",
)
@_dossier_option
@_config_option
def suggest(cutoff: float | None, min_articles: int | None, dossier: Path | None, config_file: Path | None) -> None:
    """Print the names the registries miss as entries ready to paste into entities.yml.

    A name close to a registered spelling ("Goeta" when "Guetta" is known) is suggested as an alias of
    that entity; a name that recurs in several articles but matches nothing, as a new entity. Review
    each entry before pasting it. Exits with status 1 if the sources have errors.
    """
    settings = _settings(config_file, dossier)[0]
    configured = settings.variants or VariantOptions()
    cutoff = configured.cutoff if cutoff is None else cutoff
    min_articles = configured.min_articles if min_articles is None else min_articles
    root = _resolve_dossier(dossier, settings)
    found, problems = load_dossier(root)
    if problems.errors:
        cwd = Path.cwd()
        for problem in problems.errors:
            click.echo(format_text(problem, root.parent, cwd), err=True)
        sys.exit(1)
    annotations = annotate(found, settings.extensions, settings.extension_configs)
    findings = find_variants(found, annotations, VariantOptions(cutoff=cutoff, min_articles=min_articles))
    if not findings:
        click.echo("# The name-variant check found nothing to suggest.")
        return
    click.echo(findings_as_yaml(findings), nl=False)


@main.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--format",
    "output",
    type=click.Choice(["markdown", "github"]),
    default="markdown",
    show_default=True,
    help="markdown: the report on standard output; github: the report in the job summary "
    "($GITHUB_STEP_SUMMARY) and the new problems as annotations on the pull request's diff.",
)
@click.option(
    "--limit",
    type=click.IntRange(1),
    default=10,
    show_default=True,
    help="How many items each list of the report shows; the others are counted.",
)
@_dossier_option
@_config_option
def diff(base: str, head: str | None, output: str, limit: int, dossier: Path | None, config_file: Path | None) -> None:
    """Report what a change does to the dossier between git revisions BASE and HEAD (default: the working tree).

    Reads both sides without building either site and without touching the working tree: mentions
    gained, lost or moved to another entity, notes that lost their quote, records added, removed or
    renamed, links that now point nowhere, each event's shared facts and quotes, and problems new
    and fixed. Exits with status 1 if the change brings a new warning or error, 2 if the revisions
    cannot be read, 0 otherwise.
    """
    check_command = ["dossier", "check"]
    check_command += ["-f", str(config_file)] if config_file is not None else []
    check_command += ["--dossier", str(dossier)] if dossier is not None else []
    if config_file is None:
        config_file = next((Path(name) for name in CONFIG_NAMES if Path(name).is_file()), None)
        if config_file is None and dossier is None:
            click.echo(
                "error: there is no mkdocs.yml in this folder; run dossier diff in the folder that holds it, "
                "or name it with -f",
                err=True,
            )
            sys.exit(2)
        config_file = config_file or Path(CONFIG_NAMES[0])
    try:
        result = diff_revisions(base, head, config_file, dossier.resolve() if dossier is not None else None)
    except DiffError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    cwd = Path.cwd()
    report = render_markdown(result, cwd, limit, shlex.join(check_command))
    if output == "github":
        for line in github_annotations(result, cwd):
            click.echo(line)
        summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
        if summary_file:
            with open(summary_file, "a", encoding="utf-8") as out:
                out.write(report + "\n")
            click.echo(f"The report is in the job summary. {report.splitlines()[2].strip('*')}")
        else:
            click.echo("warning: GITHUB_STEP_SUMMARY is not set, so the report is printed here", err=True)
            click.echo(report, nl=False)
    else:
        click.echo(report, nl=False)
    if result.fails:
        sys.exit(1)


def _check_events(root: Path, events: tuple[str, ...]) -> None:
    """Warn of each event id that events.yml lacks; end the command before anything is written when
    events.yml cannot be read, with the build's own messages (file and line)."""
    path = root / "events.yml"
    problems = Problems(root)
    known = read_registry(path, "event", problems)
    cwd = Path.cwd()
    for problem in problems:
        click.echo(format_text(problem, root.parent, cwd), err=True)
    if known is None:
        click.echo(
            f"error: nothing was imported: --event is looked up in {_shown(path)}, which cannot be read; "
            "fix it and import again",
            err=True,
        )
        sys.exit(1)
    for event_id in events:
        if event_id in known:
            continue
        if path.exists():
            advice = f"is not in {_shown(path)}{did_you_mean(event_id, known)}; add it there before you build"
        else:
            advice = f"is not in {_shown(path)}, which does not exist yet; create it with this event before you build"
        click.echo(f"warning: event '{event_id}' {advice}", err=True)


def _extract_all(pages: tuple[Path, ...], outlet: str | None, events: tuple[str, ...]):
    """Extract each page in turn, with a progress bar on standard error when there are several."""
    if len(pages) < 2:
        yield from ((page, import_page(page, outlet=outlet, events=events)) for page in pages)
        return
    with click.progressbar(
        pages, label="Importing", file=click.get_text_stream("stderr"), item_show_func=lambda p: p.name if p else None
    ) as bar:
        for page in bar:
            yield page, import_page(page, outlet=outlet, events=events)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return path.as_posix()
