"""The sentence vector handed from the NLU pipeline to the actions."""

from __future__ import annotations

import base64

import numpy as np
import pytest

from bot.nlu.text_vector import (
    DIMENSIONS,
    MODEL_NAME,
    PARSE_DATA_KEY,
    decode_vector,
    encode_vector,
    message_vector,
)


def _unit(seed: int) -> np.ndarray:
    vector = np.random.default_rng(seed).normal(size=DIMENSIONS).astype(np.float32)
    return vector / np.linalg.norm(vector)


def test_a_vector_survives_the_trip_within_float16_precision() -> None:
    vector = _unit(1)
    encoded = encode_vector(vector)
    assert len(encoded["float16"]) <= 1100  # about 1 KB per message in the tracker
    decoded = decode_vector(encoded)
    assert decoded is not None and decoded.dtype == np.float32
    assert float(decoded @ vector) > 0.9999


@pytest.mark.parametrize(
    "value",
    [
        None,
        "not a mapping",
        {"model": "another-model", "float16": encode_vector(_unit(2))["float16"]},
        {"model": MODEL_NAME},
        {"model": MODEL_NAME, "float16": "***not base64***"},
        {"model": MODEL_NAME, "float16": base64.b64encode(b"\0" * 10).decode()},
        {"model": MODEL_NAME, "float16": base64.b64encode(b"\0" * DIMENSIONS * 2).decode()},
        {"model": MODEL_NAME, "float16": "Ü"},
    ],
)
def test_anything_else_is_ignored(value: object) -> None:
    assert decode_vector(value) is None


def test_the_vector_is_used_only_for_the_text_it_was_computed_for() -> None:
    parse = {"text": "medico di base", PARSE_DATA_KEY: encode_vector(_unit(3))}
    assert message_vector(parse, "medico di base") is not None
    assert message_vector(parse, "the previous question") is None
    assert message_vector(parse, "") is None
    assert message_vector({"text": "medico di base"}, "medico di base") is None
