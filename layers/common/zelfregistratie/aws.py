"""AWS clients, without importing boto3: boto3 adds tens of milliseconds of import (s3transfer,
resources) to every cold start and we use none of it; botocore gives the same clients."""

from __future__ import annotations

from typing import Any

import botocore.session

_session = botocore.session.get_session()


def client(service: str) -> Any:
    """A client with the Lambda environment's region and credentials; create once, at module level."""
    return _session.create_client(service)
