"""The HTTP resolver every API function uses, with errors mapped to problem+json in one place."""

from __future__ import annotations

from aws_lambda_powertools import Logger
from aws_lambda_powertools.event_handler import APIGatewayHttpResolver, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestValidationError

from zelfregistratie.errors import DomainError, NotFound
from zelfregistratie.problems import invalid_input, problem_response

logger = Logger(child=True)


def create_resolver() -> APIGatewayHttpResolver:
    app = APIGatewayHttpResolver(enable_validation=True)
    app.exception_handler(DomainError)(_domain_error)
    app.exception_handler(RequestValidationError)(_validation_error)
    app.not_found(_not_found)
    return app


def _domain_error(error: DomainError) -> Response[str]:
    logger.info("request refused", extra={"code": error.code, "status": error.status})
    return problem_response(error)


def _validation_error(error: RequestValidationError) -> Response[str]:
    refused = invalid_input(error.errors())
    logger.info("invalid input", extra={"fields": [e.field for e in refused.errors]})
    return problem_response(refused)


def _not_found(_: NotFoundError) -> Response[str]:
    return problem_response(NotFound())
