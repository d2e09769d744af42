"""Write the name index's entries of every person on a people list (docs/architecture.md § Name index),
for a table written before the index. Idempotent: running it twice leaves the same items. It scans
the table once.

    python -m ops.reindex --table <name> [--region eu-west-1] [--endpoint-url URL]
"""

from __future__ import annotations

import argparse

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
    lines = Store.connect(args.table, client).names.reindex()
    print(f"{args.table}: the names of {lines} people indexed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
