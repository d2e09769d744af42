"""Deep links (docs/using.md § Deep links): the integration contract, parsed and built in one place.

`/user/aanvraag?…` asks for a user right, `/user/aanvraag_werkrelatie?…` for a work relationship.
`dg` is required; a user right also needs `an` or `ec`; `ctx` and `oc` are optional. Parameters come
in any order and the query may start with `&`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

from zelfregistratie.domain.entities import RequestType, TargetGroup
from zelfregistratie.domain.errors import InvalidLink, InvalidValue
from zelfregistratie.domain.identifiers import MAX_APPLICATION_ID, parse_organization_code

PATHS = {RequestType.USER_RIGHT: "/user/aanvraag", RequestType.WORK_RELATION: "/user/aanvraag_werkrelatie"}
BASE_URLS = {
    "ti": "https://zelfregistratie-gebruikersbeheer-ti.vlaanderen.be",
    "prd": "https://zelfregistratie-gebruikersbeheer.vlaanderen.be",
}
_KNOWN = ("type", "dg", "an", "ec", "ctx", "oc")


@dataclass(frozen=True)
class DeepLink:
    type: RequestType
    target_group: TargetGroup
    application: int | None = None
    right: str | None = None
    context: str | None = None
    organization: str | None = None

    @classmethod
    def parse(
        cls, parameters: Mapping[str, str | None], default_type: RequestType = RequestType.USER_RIGHT
    ) -> DeepLink:
        """`InvalidLink`, with its reason, for a missing, malformed or contradictory parameter."""
        values = {name: (parameters.get(name) or "").strip() for name in _KNOWN}
        if any("," in value for value in values.values()):
            raise InvalidLink("repeated_parameter")
        try:
            kind = RequestType(values["type"]) if values["type"] else default_type
        except ValueError:
            raise InvalidLink("unknown_type") from None
        if not values["dg"]:
            raise InvalidLink("no_target_group")
        try:
            target_group = TargetGroup(values["dg"].upper())
        except ValueError:
            known = [t.value for t in TargetGroup]
            raise InvalidLink("unknown_target_group", target_group=values["dg"], known=known) from None
        application = None
        if values["an"]:
            an = values["an"]
            # Length first: int() of thousands of digits is refused by Python itself.
            if len(an) > 10 or not an.isascii() or not an.isdigit() or not 0 < int(an) <= MAX_APPLICATION_ID:
                raise InvalidLink("application_not_a_number")
            application = int(an)
        if kind is RequestType.USER_RIGHT and application is None and not values["ec"]:
            raise InvalidLink("no_application_or_right")
        if kind is RequestType.WORK_RELATION and (application or values["ec"] or values["ctx"]):
            raise InvalidLink("work_relationship_link_names_a_right")
        if len(values["ec"]) > 64 or len(values["ctx"]) > 200:
            raise InvalidLink("parameter_too_long")
        organization = None
        if values["oc"]:
            try:
                organization = parse_organization_code(values["oc"], target_group)
            except InvalidValue as exc:
                raise InvalidLink(
                    "organization_not_of_target_group", target_group=target_group.value, because=exc
                ) from None
        return cls(
            type=kind,
            target_group=target_group,
            application=application,
            right=values["ec"] or None,
            context=values["ctx"] or None,
            organization=organization,
        )

    def query(self) -> str:
        parameters = {
            "dg": self.target_group.value,
            "an": self.application,
            "ec": self.right,
            "ctx": self.context,
            "oc": self.organization,
        }
        return urlencode({k: v for k, v in parameters.items() if v is not None})

    def url(self, base_url: str) -> str:
        return f"{base_url.rstrip('/')}{PATHS[self.type]}?{self.query()}"
