"""Shared test set-up: fixtures live in tests/plugins/, one module per concern."""

pytest_plugins = [
    "tests.plugins.paths",
    "tests.plugins.postgres",
    "tests.plugins.http_server",
]
