"""``spbe crawl``: run one of the Scrapy spiders of ``crawlers/`` in this process.

The spiders live in the ``spbe_crawlers`` package (``crawlers/`` in the repository); when
that package is not installed, the ``crawlers/`` folder beside this package is put on
``sys.path``. A crawl always keeps its Scrapy job state (JOBDIR) so that a killed crawl
can go on with ``--resume``; a crawl that ends normally removes it.
"""

from __future__ import annotations

import os
import re
import shutil
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from spbe_extract.cli.common import DbOption, fail

SPIDERS = ("antara", "infopublik", "wordpress", "sitemap")
CRAWLERS_DIR = Path(__file__).resolve().parents[2] / "crawlers"
RUNNING = "crawl.running"  # present in a job folder while its crawl runs


def import_crawlers() -> None:
    """Make ``spbe_crawlers`` importable and the Scrapy settings module known."""
    try:
        import spbe_crawlers  # noqa: F401
    except ImportError:
        if not (CRAWLERS_DIR / "spbe_crawlers").is_dir():
            raise fail("the crawlers are not installed (spbe_crawlers not found)") from None
        sys.path.insert(0, str(CRAWLERS_DIR))
    os.environ["SCRAPY_SETTINGS_MODULE"] = "spbe_crawlers.settings"


def parse_pairs(pairs: list[str], what: str) -> dict[str, str]:
    """``["k=v", ...]`` -> ``{"k": "v"}``; a pair without ``=`` is a usage error."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise fail(f"{what} {pair!r} is not NAME=value")
        out[name.strip()] = value
    return out


def job_dir(root: Path, spider: str, args: dict[str, str]) -> Path:
    """One job folder per spider and site (``.jobs/wordpress-kabardaerah.example``)."""
    site = args.get("site") or args.get("edition") or args.get("url") or args.get("base_url")
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", re.sub(r"^\w+://", "", site or "")).strip("-")
    return root / (f"{spider}-{slug}" if slug else spider)


def prepare_jobdir(jobdir: Path, resume: bool) -> Path:
    """The job folder, emptied unless resuming a crawl that was stopped cleanly.

    A crawl killed hard (SIGKILL, power loss) leaves its marker behind and its queue on
    disk cannot be trusted; resuming it re-reads the listings, and the store's known keys
    keep it from fetching what was already stored.
    """
    if jobdir.exists() and resume and (jobdir / RUNNING).exists():
        typer.echo("note: the previous crawl was killed hard; re-reading its listings", err=True)
        shutil.rmtree(jobdir)
    elif jobdir.exists() and not resume:
        shutil.rmtree(jobdir)
    elif resume and not jobdir.exists():
        typer.echo("note: no interrupted crawl to resume; starting afresh", err=True)
    jobdir.mkdir(parents=True, exist_ok=True)
    return jobdir


def run_crawl(spider: str, args: dict[str, str], overrides: dict[str, Any]) -> dict[str, Any]:
    """Run ``spider`` to the end (Ctrl-C stops it cleanly) and return its Scrapy stats."""
    import_crawlers()
    try:
        from scrapy.crawler import CrawlerProcess
        from scrapy.utils.project import get_project_settings
    except ImportError:
        raise fail("Scrapy is not installed: pip install 'spbe-extract[crawl]'") from None

    settings = get_project_settings()
    settings.setdict(overrides, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(spider)
    process.crawl(crawler, **args)
    process.start()
    return crawler.stats.get_stats()


def print_summary(stats: dict[str, Any], console: Console) -> None:
    from spbe_crawlers.summary import crawl_summary, error_details

    table = Table(title=f"crawl {stats.get('finish_reason', 'ended')}", show_header=False)
    for label, n in crawl_summary(stats).items():
        table.add_row(label, str(n))
    for reason, n in sorted(error_details(stats).items()):
        table.add_row(f"  error: {reason}", str(n))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``crawl`` to the app."""

    @app.command("crawl")
    def crawl(
        spider: Annotated[str, typer.Argument(help=f"Which spider: {', '.join(SPIDERS)}.")],
        base_url: Annotated[str | None, typer.Option(
            "--base-url", help="Fetch from this URL instead (a local copy of the site).")] = None,
        since: Annotated[str | None, typer.Option(
            "--since", help="Skip articles published before this date.")] = None,
        max_articles: Annotated[int | None, typer.Option(
            "--max-articles", min=1, help="Fetch at most N article pages.")] = None,
        db: str = DbOption,
        resume: Annotated[bool, typer.Option(
            "--resume", help="Go on with the interrupted crawl of this site.")] = False,
        arg: Annotated[list[str] | None, typer.Option(
            "-a", "--arg", help="Spider argument NAME=value (edition=kaltim, site=...).")] = None,
        setting: Annotated[list[str] | None, typer.Option(
            "-s", "--set", help="Scrapy setting NAME=value (DOWNLOAD_DELAY=2).")] = None,
        jobs: Annotated[Path, typer.Option(
            "--jobs", help="Where interrupted crawls keep their state.")] = CRAWLERS_DIR / ".jobs",
        log_level: Annotated[str, typer.Option("--log-level", help="Scrapy log level.")] = "INFO",
    ) -> None:
        """Crawl a portal for SPBE news into the store, politely and incrementally.

        Articles already in the store are not fetched again; pages not about SPBE are
        counted and not stored. Ctrl-C stops cleanly; `--resume` continues later.
        """
        if spider not in SPIDERS:
            raise fail(f"unknown spider {spider!r}; choose one of {', '.join(SPIDERS)}")
        args = parse_pairs(arg or [], "spider argument")
        for name, value in (("base_url", base_url), ("since", since),
                            ("max_articles", max_articles)):
            if value is not None:
                args[name] = str(value)
        import_crawlers()
        from spbe_crawlers.dates import parse_since

        try:
            parse_since(args.get("since"))
        except ValueError as err:
            raise fail(f"--since: {err}") from err
        overrides: dict[str, Any] = parse_pairs(setting or [], "setting")
        jobdir = prepare_jobdir(job_dir(jobs, spider, args), resume)
        overrides.update(SPBE_DB=db, JOBDIR=str(jobdir), LOG_LEVEL=log_level.upper())
        running = jobdir / RUNNING
        running.touch()
        try:
            stats = run_crawl(spider, args, overrides)
        except (ValueError, KeyError) as err:
            raise fail(str(err)) from err
        finally:
            running.unlink(missing_ok=True)
        print_summary(stats, Console(stderr=True))
        if stats.get("finish_reason") == "finished":
            shutil.rmtree(jobdir, ignore_errors=True)
        if not stats.get("response_received_count"):
            raise fail("nothing could be fetched")
