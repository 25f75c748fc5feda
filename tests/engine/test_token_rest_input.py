"""The token-guarded REST channel's configuration, in the engine environment.

What it does with requests is tested against the real Rasa server in
tests/security/test_access.py (the engine environment has no Sanic test client).
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.engine_channel.token_rest_input import MissingChannelTokenError, TokenRestInput


@pytest.mark.parametrize("credentials", [None, {}, {"token": ""}])
def test_a_channel_without_a_token_refuses_to_start_and_says_which_setting(
    credentials: dict[str, Any] | None,
) -> None:
    with pytest.raises(MissingChannelTokenError, match="'token'"):
        TokenRestInput.from_credentials(credentials)


def test_the_channel_keeps_rasas_rest_url() -> None:
    assert TokenRestInput.name() == "rest"
    assert TokenRestInput.from_credentials({"token": "t"}).token == "t"
