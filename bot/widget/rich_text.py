"""Bot and catalogue text made safe to show: bidi overrides removed, only safe links kept.

Text is split into segments; browsers render each with `textContent`, never as markup, and
only http(s), mailto and tel targets ever become links.
"""

from __future__ import annotations

import re
from typing import TypedDict

# LRE, RLE, PDF, LRO, RLO: embeddings and overrides can disguise text (isolates are kept:
# the replies use them to keep phone numbers and URLs readable inside right-to-left text)
BIDI_OVERRIDES = re.compile("[\u202a-\u202e]")
LINK = re.compile(
    r"(?P<url>https?://[^\s<>\"'\u2066-\u2069]+)"
    r"|(?P<email>(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<phone>(?<![\w+])\+\d[\d ]{6,18}\d)"
)
TRAILING_PUNCTUATION = ".,;:!?)]}»"
SAFE_SCHEMES = ("http://", "https://", "mailto:", "tel:")


class Segment(TypedDict, total=False):
    """A piece of text; with `href` it is a link."""

    text: str
    href: str


def neutralise_bidi(text: str) -> str:
    """`text` without bidi embedding/override control characters."""
    return BIDI_OVERRIDES.sub("", text)


def safe_href(href: str | None) -> str | None:
    """The link target when it is http(s), mailto or tel; otherwise None."""
    if not href:
        return None
    candidate = href.strip()
    return candidate if candidate.lower().startswith(SAFE_SCHEMES) else None


def segments(text: str) -> list[Segment]:
    """Split text into plain segments and http(s)/mailto/tel link segments."""
    clean = neutralise_bidi(text)
    parts: list[Segment] = []
    position = 0
    for match in LINK.finditer(clean):
        found = match.group(0)
        stripped = found.rstrip(TRAILING_PUNCTUATION)
        start, end = match.start(), match.start() + len(stripped)
        if start > position:
            parts.append({"text": clean[position:start]})
        if match.group("url"):
            href = stripped
        elif match.group("email"):
            href = f"mailto:{stripped}"
        else:
            href = "tel:" + stripped.replace(" ", "")
        parts.append({"text": stripped, "href": href})
        position = end
    if position < len(clean):
        parts.append({"text": clean[position:]})
    return parts
