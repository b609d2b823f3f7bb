"""Is a page about SPBE? A keyword test run before anything is stored."""

from __future__ import annotations

import re
from collections.abc import Iterable


class RelevanceFilter:
    """Matches any of ``terms`` as whole words, case-insensitively, spacing-tolerant."""

    def __init__(self, terms: Iterable[str]) -> None:
        words = [t.strip() for t in terms if t and t.strip()]
        if not words:
            raise ValueError("the relevance filter needs at least one term")
        self.terms = words
        alternatives = "|".join(r"\s+".join(map(re.escape, t.split())) for t in words)
        self._pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)

    def matches(self, *texts: str | None) -> bool:
        """True when any of the texts mentions a term."""
        return any(self._pattern.search(t) for t in texts if t)


def split_terms(value: str | Iterable[str] | None) -> list[str]:
    """``"a, b"`` or ``["a", "b"]`` -> ``["a", "b"]``."""
    if value is None:
        return []
    if isinstance(value, str):
        return [t.strip() for t in value.split(",") if t.strip()]
    return [t.strip() for t in value if t and t.strip()]
