"""The API functions' router: matching, path parameters, answers, errors, the hook before routing."""

from __future__ import annotations

import base64
import json
from typing import Any

import pytest

from tests.events import http_event
from zelfregistratie.api.http import Request, Response, Router


class Refused(Exception):
    pass


def router() -> Router[None]:
    app: Router[None] = Router(serializer=json.dumps)
    app.exception_handler(Refused)(lambda exc: Response(409, "application/problem+json", str(exc)))
    app.not_found(lambda event: Response(404, None, f"no {event.http_method} {event.path}"))

    @app.get("/api/requests/<id>")
    def one(id: str) -> dict[str, Any]:
        return {"id": id, "query": dict(app.current_event.query_string_parameters or {})}

    @app.post("/api/requests/<id>/cancel")
    def cancel(id: str) -> Response[dict[str, str]]:
        return Response(201, "application/json", {"id": id}, {"Location": f"/api/requests/{id}"})

    @app.delete("/api/items/<code>/admins/<sub>")
    def remove(code: str, sub: str) -> Response[str]:
        if sub == "last":
            raise Refused("last")
        if sub == "boom":
            raise RuntimeError("unexpected")
        return Response(204, None, "")

    @app.post("/api/echo")
    def echo() -> dict[str, Any]:
        event = app.current_event
        return {"body": event.decoded_body, "key": event.headers.get("idempotency-key")}

    return app


def test_a_route_gets_its_path_parameters_and_answers_200_json() -> None:
    answer = router().resolve(http_event("GET", "/api/requests/abc-1", query={"x": "1"}))
    assert answer["statusCode"] == 200
    assert answer["headers"]["Content-Type"] == "application/json"
    assert json.loads(answer["body"]) == {"id": "abc-1", "query": {"x": "1"}}


def test_a_response_keeps_its_status_and_headers() -> None:
    answer = router().resolve(http_event("POST", "/api/requests/r-9/cancel"))
    assert (answer["statusCode"], answer["headers"]["Location"]) == (201, "/api/requests/r-9")
    assert json.loads(answer["body"]) == {"id": "r-9"}


def test_two_parameters_and_an_empty_answer_without_content_type() -> None:
    answer = router().resolve(http_event("DELETE", "/api/items/0428364866/admins/s-1"))
    assert (answer["statusCode"], answer["body"], answer["headers"]) == (204, "", {})


def test_a_parameter_never_spans_segments_and_the_method_must_match() -> None:
    assert router().resolve(http_event("GET", "/api/requests/a/b"))["body"] == "no GET /api/requests/a/b"
    assert router().resolve(http_event("POST", "/api/requests/a"))["statusCode"] == 404


def test_mapped_errors_are_answered_and_others_propagate() -> None:
    assert router().resolve(http_event("DELETE", "/api/items/x/admins/last"))["statusCode"] == 409
    with pytest.raises(RuntimeError):
        router().resolve(http_event("DELETE", "/api/items/x/admins/boom"))


def test_bodies_are_decoded_and_headers_read_by_lower_case_name() -> None:
    event = http_event("POST", "/api/echo", headers={"Idempotency-Key": "k-1"})
    event |= {"body": base64.b64encode('{"é": 1}'.encode()).decode(), "isBase64Encoded": True}
    assert json.loads(router().resolve(event)["body"]) == {"body": '{"é": 1}', "key": "k-1"}


def test_the_hook_runs_before_routing_also_for_unknown_paths() -> None:
    app = router()
    seen: list[str] = []

    def hook(event: Request) -> None:
        seen.append(event.path)
        if event.path == "/api/geheim":
            raise Refused("no")

    app.before(hook)
    assert app.resolve(http_event("GET", "/api/geheim"))["statusCode"] == 409
    assert app.resolve(http_event("GET", "/api/requests/1"))["statusCode"] == 200
    assert seen == ["/api/geheim", "/api/requests/1"]


def test_claims_come_from_the_jwt_authorizer_only() -> None:
    assert Request(http_event("GET", "/", claims={"sub": "s"})).jwt_claims == {"sub": "s"}
    assert Request(http_event("GET", "/")).jwt_claims == {}


def test_the_current_event_exists_only_while_handling() -> None:
    with pytest.raises(RuntimeError):
        _ = router().current_event


def test_an_unexpected_error_is_logged_and_answered_as_problem_json_500(
    caplog: pytest.LogCaptureFixture,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from zelfregistratie.api.router import create_router

    app = create_router()

    @app.get("/api/health", public=True)
    def broken() -> None:
        raise RuntimeError("a bug")

    answer = app.resolve(http_event("GET", "/api/health"))
    assert (answer["statusCode"], answer["headers"]["Content-Type"]) == (500, "application/problem+json")
    assert json.loads(answer["body"])["code"] == "internal_error"
    assert answer["headers"]["Cache-Control"] == "no-store"
    assert answer["headers"]["X-Content-Type-Options"] == "nosniff"
    [record] = [r for r in caplog.records if r.getMessage() == "unexpected error"]
    assert record.levelname == "ERROR" and record.exc_info is not None
    assert str(record.exc_info[1]) == "a bug"
    metric = json.loads(capsys.readouterr().out.strip().splitlines()[-1])  # EMF, one line
    assert (metric["UnexpectedErrors"], metric["error"]) == ([1.0], "RuntimeError")
    assert "a bug" not in answer["body"]
