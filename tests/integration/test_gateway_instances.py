"""The local gateway runs concurrent invocations of one function in separate execution
environments, each with its own module state, as Lambda does."""

from __future__ import annotations

import os
import threading
from typing import Any

import pytest

from devstack.gateway import Function


def _probe(max_instances: int = 8) -> Function:
    function = Function(
        "ProbeFunction", "tests.integration.instance_probe", "handler", {}, max_instances=max_instances
    )
    function.load(os.environ)
    return function


def _invoke_together(function: Function, count: int, timeout: float = 5) -> list[Any]:
    together = threading.Barrier(count, timeout=timeout)
    results: list[Any] = []

    def invoke() -> None:
        try:
            results.append(function.invoke({"together": together}))
        except threading.BrokenBarrierError as exc:
            results.append(exc)

    threads = [threading.Thread(target=invoke) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def test_concurrent_invocations_run_at_once_each_in_an_environment_of_its_own() -> None:
    function = _probe()
    results = _invoke_together(function, 3)
    assert all(isinstance(r, dict) for r in results), results  # all three reached the barrier at once
    assert len({r["module"] for r in results}) == 3
    assert [r["invocations"] for r in results] == [1, 1, 1]  # no module state shared
    assert function.instances == 3


def test_idle_environments_are_reused_warm() -> None:
    function = _probe()
    first = {r["module"]: r["invocations"] for r in _invoke_together(function, 2)}
    again = {r["module"]: r["invocations"] for r in _invoke_together(function, 2)}
    assert function.instances == 2
    assert again == {module: count + 1 for module, count in first.items()}


def test_beyond_the_limit_invocations_wait_for_a_free_environment() -> None:
    function = _probe(max_instances=1)
    results = _invoke_together(function, 2, timeout=0.5)
    assert any(isinstance(r, threading.BrokenBarrierError) for r in results)
    assert function.instances == 1


def test_a_failing_invocation_gives_its_environment_back() -> None:
    function = _probe()
    with pytest.raises(KeyError):
        function.invoke({})
    [after] = _invoke_together(function, 1)
    assert function.instances == 1
    assert after["module"] == "tests.integration.instance_probe"
