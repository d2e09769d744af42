"""Build and check a deep link for integrators (docs/using.md § Deep links).

    python -m ops.deeplink --env ti --dg EA --an 45 --oc 0428364866
    python -m ops.deeplink --env prd --type work_relation --dg GID --oc OVO000123
    python -m ops.deeplink --check 'https://…/user/aanvraag?&an=45&dg=EA&oc=0428364866'

It checks the link's form offline, with the same rules the service applies; whether the application,
right or organisation exists is for the service to say (`GET /api/registration-form`).
"""

from __future__ import annotations

import argparse
import sys
from urllib.parse import parse_qsl, urlsplit

from zelfregistratie.api import problems
from zelfregistratie.domain.deeplinks import BASE_URLS, PATHS, DeepLink
from zelfregistratie.domain.entities import RequestType
from zelfregistratie.domain.errors import InvalidLink


def from_url(url: str) -> DeepLink:
    parts = urlsplit(url)
    kinds = {path: kind for kind, path in PATHS.items()}
    kind = kinds.get(parts.path.rstrip("/"))
    if kind is None:
        raise InvalidLink("unknown_path", paths=" of ".join(PATHS.values()), path=parts.path)
    values: dict[str, str | None] = {}
    for name, value in parse_qsl(parts.query, keep_blank_values=True):
        if name in values and values[name] != value:
            raise InvalidLink("repeated_named_parameter", name=name)
        values[name] = value
    return DeepLink.parse(values, kind)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--env", choices=sorted(BASE_URLS), default="ti")
    parser.add_argument("--base-url", help="another base URL, e.g. http://127.0.0.1:8000 for make run")
    parser.add_argument(
        "--type", choices=[t.value for t in RequestType], default=RequestType.USER_RIGHT.value
    )
    for name, meaning in [
        ("dg", "doelgroep"),
        ("an", "toepassing"),
        ("ec", "gebruikersrecht"),
        ("ctx", "context"),
        ("oc", "organisatie"),
    ]:
        parser.add_argument(f"--{name}", help=meaning)
    parser.add_argument("--check", metavar="URL", help="check an existing link instead of building one")
    args = parser.parse_args(argv)
    try:
        if args.check:
            link = from_url(args.check)
        else:
            values = {name: getattr(args, name) for name in ("dg", "an", "ec", "ctx", "oc")}
            link = DeepLink.parse(values, RequestType(args.type))
    except InvalidLink as exc:
        print(f"Ongeldige link: {problems.detail(exc)}", file=sys.stderr)
        return 1
    print(link.url(args.base_url or BASE_URLS[args.env]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
