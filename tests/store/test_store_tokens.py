"""Operator tokens are stored hashed, verified by their secret, scoped to a tenant, revocable."""

from __future__ import annotations

from sqlalchemy import select

from bot.store import Store
from bot.store.models import TokenRow


def test_token_verifies_and_is_stored_only_hashed(store: Store) -> None:
    token = store.tokens.create("gaeram-univ", "학사팀")
    principal = store.tokens.verify(token)
    assert principal is not None
    assert principal.tenant == "gaeram-univ"
    assert principal.may_manage("gaeram-univ")
    assert not principal.may_manage("seohae-mudfest")
    secret = token.split("_", 2)[2]
    with store.db.session() as s:
        row = s.scalar(select(TokenRow))
        assert row is not None
        assert secret not in row.secret_sha256
        assert len(row.secret_sha256) == 64


def test_wrong_secret_or_shape_is_refused(store: Store) -> None:
    token = store.tokens.create("gaeram-univ")
    prefix, token_id, secret = token.split("_", 2)
    wrong = secret[:-1] + ("A" if secret[-1] != "A" else "B")
    assert store.tokens.verify(f"{prefix}_{token_id}_{wrong}") is None
    assert store.tokens.verify(f"{prefix}_000000000000_{secret}") is None
    assert store.tokens.verify(secret) is None
    assert store.tokens.verify("") is None


def test_admin_token_manages_every_tenant(store: Store) -> None:
    principal = store.tokens.verify(store.tokens.create(None))
    assert principal is not None and principal.is_admin
    assert principal.may_manage("anything")


def test_revoked_token_is_refused(store: Store) -> None:
    token = store.tokens.create("gaeram-univ")
    token_id = token.split("_")[1]
    assert store.tokens.revoke(token_id)
    assert store.tokens.verify(token) is None
    assert not store.tokens.revoke(token_id)
    assert store.tokens.list()[0]["revoked"] is True
