"""The ``spbe`` command line: one Typer app, commands grouped by module.

Each module below owns one group of commands and adds them in ``register``.
"""

from __future__ import annotations

import typer

from spbe_extract.cli import batch_cmds, crawl_cmds, nlp_cmds, store_cmds, web_cmds

app = typer.Typer(
    help="Extract SPBE index facts from Indonesian regional news and query them.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

for module in (store_cmds, nlp_cmds, crawl_cmds, batch_cmds, web_cmds):
    module.register(app)


def main() -> None:
    """Entry point of the ``spbe`` console script."""
    app()
