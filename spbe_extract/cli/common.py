"""Options and helpers shared by every CLI module."""

from __future__ import annotations

import os

import typer

DEFAULT_DB = os.environ.get("SPBE_DB", "sqlite:///spbe.db")

DbOption = typer.Option(DEFAULT_DB, "--db", help="SQLAlchemy URL of the store (env SPBE_DB).")


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print a one-line error on stderr and return the Exit to raise."""
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)
