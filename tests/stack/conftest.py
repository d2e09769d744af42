"""The local stack, started once per test module as its own process, as `make run` starts it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from joserfc.jwk import RSAKey

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Stack:
    base: str
    key: RSAKey
    process: subprocess.Popen[str]

    @property
    def issuer(self) -> str:
        return f"{self.base}/dev-idp"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    key_file = tmp_path_factory.mktemp("idp") / "key.json"
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TABLE_", "PUBLIC_BASE_URL"))}
    log = (tmp_path_factory.mktemp("log") / "stack.log").open("w")  # a file, not a pipe nobody drains
    process = subprocess.Popen(
        [sys.executable, "-m", "devstack", "--port", str(port), "--idp-key", str(key_file)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{base}/api/health", timeout=1).status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail(f"the stack did not come up:\n{Path(log.name).read_text()}")
    yield Stack(base, RSAKey.import_key(json.loads(key_file.read_text())), process)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(5)
    log.close()
