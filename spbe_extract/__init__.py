"""spbe-extract: Indonesian regional news in, SPBE index facts out."""

__version__ = "0.1.0"
