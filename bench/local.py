"""`local_filing_ms` for `make bench`: one filing through the local stack, at a given table size.

A filing here is what `make run` serves for `POST /api/requests`: the gateway routed from the
template, the authorizer's token check, the submit_request handler, moto. The table is filled to
`--items` first (the demo data plus items of about 250 bytes); every filing is a new person's, so
none is refused. The stream poller is not started: the figure is the request's own path.

`--moto-own-transactions` measures the same with moto's `transact_write_items` as moto ships it
(a deep copy of the whole table per transaction), to show what the adapter changed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from bench.run import FILING
from devstack.stack import TABLE_NAME, LocalStack, parse


def fill(stack: LocalStack, items: int) -> None:
    have = stack.dynamodb.describe_table(TableName=TABLE_NAME)["Table"]["ItemCount"]
    missing = [
        {"PK": {"S": f"FILLER#{n:06d}"}, "SK": {"S": "#"}, "kind": {"S": "filler"}, "text": {"S": "x" * 200}}
        for n in range(max(0, items - have))
    ]
    for start in range(0, len(missing), 25):
        requests: list[Any] = [{"PutRequest": {"Item": item}} for item in missing[start : start + 25]]
        stack.dynamodb.batch_write_item(RequestItems={TABLE_NAME: requests})


def filing_ms(items: int, filings: int, moto_own_transactions: bool) -> float:
    from moto.dynamodb.models import DynamoDBBackend
    from werkzeug.test import Client

    from devstack import moto_atomic

    with tempfile.TemporaryDirectory() as keys:
        stack = LocalStack(parse(["--idp-key", str(Path(keys) / "key.json")]))
    if moto_own_transactions:
        DynamoDBBackend.transact_write_items = moto_atomic.MOTO_TRANSACT_WRITE_ITEMS  # type: ignore[method-assign]
    fill(stack, items)
    client = Client(stack)
    timings = []
    for n in range(filings + 1):
        now = int(time.time())
        claims = {
            "iss": stack.idp.issuer,
            "aud": "zelfregistratie",
            "sub": str(uuid.uuid4()),
            "given_name": "Bench",
            "family_name": f"Persoon {n}",
            "iat": now,
            "exp": now + 600,
        }
        headers = {"Authorization": f"Bearer {stack.idp.sign(claims)}"}
        started = time.perf_counter()
        response = client.post("/api/requests", json=FILING, headers=headers)
        elapsed = time.perf_counter() - started
        assert response.status_code == 201, response.get_data(as_text=True)
        if n:  # the first filing builds the input model: a cold path, not the steady figure
            timings.append(elapsed * 1000)
    stack.close()
    return round(statistics.median(timings), 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--items", type=int, required=True)
    parser.add_argument("--filings", type=int, default=25)
    parser.add_argument("--moto-own-transactions", action="store_true")
    args = parser.parse_args(argv)
    print(json.dumps(filing_ms(args.items, args.filings, args.moto_own_transactions)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
