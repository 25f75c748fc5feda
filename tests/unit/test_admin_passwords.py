"""Staff passwords are stored as salted argon2id hashes, never as text."""

from __future__ import annotations

from bot.accounts.passwords import hash_password, verify_password


def test_hash_is_argon2id_salted_and_verifies_only_the_right_password() -> None:
    first = hash_password("correct horse battery")
    second = hash_password("correct horse battery")
    assert first.startswith("$argon2id$")
    assert "correct horse" not in first
    assert first != second  # salted
    assert verify_password(first, "correct horse battery")
    assert not verify_password(first, "correct horse battery!")


def test_a_broken_stored_hash_refuses_login_instead_of_crashing() -> None:
    assert not verify_password("not-a-hash", "anything")
