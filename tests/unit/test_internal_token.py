"""The shared-secret helpers used by the NLG endpoint, the action server and Rasa's channel."""

from __future__ import annotations

from bot.runner.internal_token import bearer_token, tokens_match


def test_only_the_configured_token_matches() -> None:
    assert tokens_match("s3cret-value", "s3cret-value")
    assert not tokens_match("s3cret-value", "s3cret-valuE")
    assert not tokens_match("s3cret-value", "")


def test_an_empty_configuration_matches_nothing_not_everything() -> None:
    assert not tokens_match("", "")
    assert not tokens_match("", "anything")


def test_the_bearer_token_is_read_from_the_header_value_only_with_its_scheme() -> None:
    assert bearer_token("Bearer abc") == "abc"
    assert bearer_token("bearer abc") == ""
    assert bearer_token("abc") == ""
    assert bearer_token("") == ""
