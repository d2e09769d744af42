"""Who acts: a signed-in person, with what their token says about them, an application's machine
client (OAuth2 client credentials), or ops for a government organisation. The API builds one from
verified claims (`api/identity.py`); logic reads only this."""

from __future__ import annotations

from typing import NamedTuple


class Actor(NamedTuple):
    sub: str
    name: str
    legal_representative_of: frozenset[str] = frozenset()
    is_ops: bool = False
    is_machine: bool = False
    scopes: frozenset[str] = frozenset()

    @classmethod
    def person(
        cls,
        sub: str,
        given_name: str,
        family_name: str,
        legal_representative_of: frozenset[str] = frozenset(),
    ) -> Actor:
        return cls(sub, f"{given_name} {family_name}".strip() or sub, legal_representative_of)

    @classmethod
    def machine(cls, client_id: str, scopes: frozenset[str]) -> Actor:
        """An application's client: its token's `sub` is its `client_id` (docs/applications.md)."""
        return cls(sub=client_id, name=client_id, is_machine=True, scopes=scopes)

    @classmethod
    def ops(cls, name: str) -> Actor:
        """The ops team carrying out a government organisation's form: no token, the authority of a head."""
        return cls(sub=f"ops:{name}", name=name, is_ops=True)
