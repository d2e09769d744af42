"""The local stack, started once per test module as its own process, as `make run` starts it."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


def settled(stack: Stack) -> None:
    """Until the stack's stream is quiet (`/dev/settled`): every write so far has had its effects,
    mails and events included. What a test then reads is final; no sleeping, no polling."""
    answer = httpx.get(f"{stack.base}/dev/settled", timeout=60).json()
    assert answer == {"settled": True}, answer


def listening() -> socket.socket:
    """A socket listening on a free port, for the stack to serve on (`--fd`): a request made before
    the stack is ready waits in its backlog, so nothing polls for the stack to come up."""
    server = socket.create_server(("127.0.0.1", 0), backlog=64)
    server.set_inheritable(True)
    return server


def start(arguments: list[str], **popen: Any) -> tuple[subprocess.Popen[str], str]:
    """The stack in a process of its own, on a socket opened here; its process and base URL."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "TABLE_", "PUBLIC_BASE_URL"))}
    with listening() as server:
        port = server.getsockname()[1]
        fd = server.fileno()
        process = subprocess.Popen(
            [*arguments, "--port", str(port), "--fd", str(fd)],
            cwd=ROOT,
            env=env,
            pass_fds=(fd,),
            text=True,
            **popen,
        )
    return process, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    key_file = tmp_path_factory.mktemp("idp") / "key.json"
    log = (tmp_path_factory.mktemp("log") / "stack.log").open("w")  # a file, not a pipe nobody drains
    process, base = start(
        [sys.executable, "-m", "devstack", "--idp-key", str(key_file)], stdout=log, stderr=subprocess.STDOUT
    )
    try:  # waits in the socket's backlog until the stack serves
        healthy = httpx.get(f"{base}/api/health", timeout=60).status_code == 200
    except httpx.TransportError:
        healthy = False
    if not healthy:
        process.kill()
        pytest.fail(f"the stack did not come up:\n{Path(log.name).read_text()}")
    yield Stack(base, RSAKey.import_key(json.loads(key_file.read_text())), process)
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        process.wait(5)
    log.close()
