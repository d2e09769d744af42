"""Upload the pages to the stack's bucket and refresh CloudFront (`make deploy-pages STACK=…`).

    python -m ops.deploy_pages --stack-name zelfregistratie-ti [--region eu-west-1]

Reads the bucket, the distribution, the public base URL and the OpenID issuer and audience from the
deployed stack, writes `config.json` for the pages' sign-in, uploads `web/` as `ops/pages.py` builds
it (assets under hashed names, cached for a year; pages revalidated) with content types, removes
files that are no longer built, and invalidates the distribution.
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import sys
import time
from pathlib import Path
from typing import Any

from ops import pages
from ops.pages import WEB


def _content_type(key: str) -> str:
    content_type = mimetypes.guess_type(key)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return content_type


def upload(
    s3: Any, bucket: str, issuer: str, client_id: str, public_base_url: str, web: Path = WEB
) -> list[str]:
    """Put every built file plus config.json; delete keys that are no longer built. Returns the keys."""
    config = json.dumps({"issuer": issuer, "clientId": client_id, "publicBaseUrl": public_base_url}).encode()
    built = [*pages.build(web).values(), pages.Built("config.json", config, pages.CONFIG_CACHE)]
    keys = []
    for file in sorted(built, key=lambda f: f.key):
        s3.put_object(
            Bucket=bucket,
            Key=file.key,
            Body=file.body,
            ContentType=_content_type(file.key),
            CacheControl=file.cache_control,
        )
        keys.append(file.key)
    existing = [
        o["Key"]
        for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket)
        for o in page.get("Contents", [])
    ]
    stale = [k for k in existing if k not in keys]
    for start in range(0, len(stale), 1000):
        s3.delete_objects(
            Bucket=bucket, Delete={"Objects": [{"Key": k} for k in stale[start : start + 1000]]}
        )
    return keys


def stack_settings(cloudformation: Any, stack_name: str) -> dict[str, str]:
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
    parameters = {p["ParameterKey"]: p["ParameterValue"] for p in stack.get("Parameters", [])}
    return {
        "bucket": outputs["WebBucketName"],
        "distribution": outputs["DistributionId"],
        "issuer": parameters["OidcIssuer"],
        "client_id": parameters["OidcAudience"],
        "public_base_url": outputs["PublicBaseUrl"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--stack-name", required=True)
    parser.add_argument("--region", default=None)
    args = parser.parse_args(argv)
    import boto3

    session = boto3.Session(region_name=args.region)
    settings = stack_settings(session.client("cloudformation"), args.stack_name)
    keys = upload(
        session.client("s3"),
        settings["bucket"],
        settings["issuer"],
        settings["client_id"],
        settings["public_base_url"],
    )
    session.client("cloudfront").create_invalidation(
        DistributionId=settings["distribution"],
        InvalidationBatch={"Paths": {"Quantity": 1, "Items": ["/*"]}, "CallerReference": str(time.time())},
    )
    print(f"{len(keys)} files → s3://{settings['bucket']}, invalidated {settings['distribution']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
