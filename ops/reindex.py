"""Write again what the table keeps derived from its other items, for a table written before them or
counts found off: the name index's entries of every person on a people list (docs/architecture.md §
Name index), the holders index's keys on every grant record (docs/administrators-home.md § Look-up)
and every organisation's counts (docs/administrators-home.md § Counts). Idempotent; it
scans the table twice. Run it while nothing is being filed or decided: a change the stream has not
yet counted would be counted twice.

    python -m ops.reindex --table <name> [--region eu-west-1] [--endpoint-url URL]
"""

from __future__ import annotations

import argparse

from zelfregistratie.domain import clock
from zelfregistratie.store.store import Store


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--table", required=True)
    parser.add_argument("--region", default=None)
    parser.add_argument("--endpoint-url", default=None, help="e.g. a local DynamoDB")
    args = parser.parse_args(argv)
    import boto3

    client = boto3.client("dynamodb", region_name=args.region, endpoint_url=args.endpoint_url)
    store = Store.connect(args.table, client)
    lines = store.names.reindex()
    grants = store.holders.reindex()
    organizations = store.counts.recount_all(clock.today().isoformat())
    print(
        f"{args.table}: {lines} people's names and {grants} grants indexed; "
        f"{organizations} organisations counted"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
