"""The pages' deploy step: every file with its content type, a config.json for sign-in, stale files gone."""

from __future__ import annotations

import json
import re

import boto3

from ops import pages
from ops.deploy_pages import upload


def test_the_pages_upload_with_types_config_and_cleanup(aws: None) -> None:
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="pages", CreateBucketConfiguration={"LocationConstraint": "eu-west-1"})
    s3.put_object(Bucket="pages", Key="old/page.html", Body=b"stale")

    keys = upload(
        s3,
        "pages",
        "https://authenticatie-ti.vlaanderen.be/op",
        "zelfregistratie",
        "https://d1.cloudfront.net",
    )

    stored = {o["Key"] for o in s3.list_objects_v2(Bucket="pages")["Contents"]}
    assert stored == set(keys)
    assert {"user/aanvraag.html", "assets/app.js", "assets/style.css", "config.json"} <= stored
    assert sorted(keys) == sorted([*pages.build(), "config.json"])
    page = s3.get_object(Bucket="pages", Key="user/aanvraag.html")
    assert page["ContentType"] == "text/html; charset=utf-8" and page["CacheControl"] == "no-cache"
    versioned = re.search(r'src="/(assets/aanvraag\.[0-9a-f]{10}\.js)"', page["Body"].read().decode())
    assert versioned, "the page names its module by its hashed name"
    module = s3.get_object(Bucket="pages", Key=versioned.group(1))
    assert module["CacheControl"] == "public, max-age=31536000, immutable"
    assert s3.get_object(Bucket="pages", Key="config.json")["CacheControl"] == "public, max-age=300"
    assert s3.get_object(Bucket="pages", Key="assets/app.js")["ContentType"].startswith(
        ("text/javascript", "application/javascript")
    )
    config = json.loads(s3.get_object(Bucket="pages", Key="config.json")["Body"].read())
    assert config == {
        "issuer": "https://authenticatie-ti.vlaanderen.be/op",
        "clientId": "zelfregistratie",
        "publicBaseUrl": "https://d1.cloudfront.net",  # where sign-in returns, as mail links point
    }
