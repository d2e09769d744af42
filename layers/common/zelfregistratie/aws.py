"""AWS clients, without importing boto3: boto3 adds tens of milliseconds of import (s3transfer,
resources) to every cold start and we use none of it; botocore gives the same clients."""

from __future__ import annotations

from typing import Any

import botocore.session

# The process's botocore session: every client comes from it (the local stack sets its default config).
SESSION = botocore.session.get_session()


def client(service: str, *, timeout_seconds: int | None = None) -> Any:
    """A client with the Lambda environment's region and credentials; create once, at module level.
    With `timeout_seconds`, no call takes longer, its retry included (botocore's own wait is a minute
    per attempt)."""
    if timeout_seconds is None:
        return SESSION.create_client(service)
    from botocore.config import Config

    attempts = 2
    per_attempt = timeout_seconds / attempts
    config = Config(
        connect_timeout=per_attempt / 2,
        read_timeout=per_attempt / 2,
        retries={"max_attempts": attempts, "mode": "standard"},
    )
    return SESSION.create_client(service, config=config)
