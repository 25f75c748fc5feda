"""How often the language detected from a held-out question is the question's own language.

The detector may stay undecided (the conversation then keeps its language); answering in a
wrong language is the failure that matters, so it is counted apart, with the language most
often confused for this one.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True)
class Identification:
    """Detected-language counts over one language's questions."""

    language: str
    right: int
    undecided: int
    wrong: Counter[str]

    @property
    def total(self) -> int:
        return self.right + self.undecided + sum(self.wrong.values())

    def row(self) -> str:
        """`lang  n  right  undecided  wrong (most often as xx)`, shares of the questions."""
        n = max(self.total, 1)
        wrong = sum(self.wrong.values())
        usual = f" (mostly {self.wrong.most_common(1)[0][0]})" if wrong else ""
        return (
            f"{self.language:<5} {self.total:>4} {self.right / n:>6.2f} "
            f"{self.undecided / n:>10.2f} {wrong / n:>6.2f}{usual}"
        )


HEADER = f"{'lang':<5} {'n':>4} {'right':>6} {'undecided':>10} {'wrong':>6}"


def identify(language: str, detected: list[str | None]) -> Identification:
    """Tally the detector's answers (None: undecided) for questions written in `language`."""
    right = sum(1 for code in detected if code == language)
    undecided = sum(1 for code in detected if code is None)
    wrong = Counter(code for code in detected if code is not None and code != language)
    return Identification(language, right, undecided, wrong)
