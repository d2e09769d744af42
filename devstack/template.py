"""Read template.yaml: the single source of the table schema (and, for the local stack, the routes)."""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"


class _CloudFormationLoader(yaml.SafeLoader):
    """Keeps short-form intrinsics (`!Ref X`, `!GetAtt A.B`, `!If [...]`) as their long form."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = "Ref" if suffix == "Ref" else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)  # type: ignore[arg-type]
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _intrinsic)


@cache
def load(path: Path = TEMPLATE) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        document: dict[str, Any] = yaml.load(handle, Loader=_CloudFormationLoader)  # noqa: S506
    return document


def resource(logical_id: str, path: Path = TEMPLATE) -> dict[str, Any]:
    found: dict[str, Any] = load(path)["Resources"][logical_id]
    return found


def table_definition(table_name: str, path: Path = TEMPLATE) -> dict[str, Any]:
    """`create_table` arguments for the template's table, exactly as declared there."""
    properties = resource("Table", path)["Properties"]
    definition: dict[str, Any] = {
        "TableName": table_name,
        "AttributeDefinitions": properties["AttributeDefinitions"],
        "KeySchema": properties["KeySchema"],
        "BillingMode": properties["BillingMode"],
    }
    if "GlobalSecondaryIndexes" in properties:
        definition["GlobalSecondaryIndexes"] = properties["GlobalSecondaryIndexes"]
    if "StreamSpecification" in properties:
        definition["StreamSpecification"] = {"StreamEnabled": True, **properties["StreamSpecification"]}
    return definition


def time_to_live_attribute(path: Path = TEMPLATE) -> str | None:
    spec = resource("Table", path)["Properties"].get("TimeToLiveSpecification")
    return spec["AttributeName"] if spec and spec.get("Enabled") else None


def create_table(client: Any, table_name: str, path: Path = TEMPLATE) -> str:
    """Create the template's table (in moto, locally) and return its stream ARN."""
    response = client.create_table(**table_definition(table_name, path))
    ttl = time_to_live_attribute(path)
    if ttl:
        client.update_time_to_live(
            TableName=table_name, TimeToLiveSpecification={"Enabled": True, "AttributeName": ttl}
        )
    return str(response["TableDescription"].get("LatestStreamArn", ""))


def stack_name(environment: str) -> str:
    """The stack a deployment of this environment is named (samconfig.toml's), and the local one's."""
    return f"zelfregistratie-{environment}"


def event_bus_name(environment: str, path: Path = TEMPLATE) -> str:
    return _substitute(resource("EventBus", path)["Properties"]["Name"], _pseudo(environment))


def create_event_bus(client: Any, environment: str, path: Path = TEMPLATE) -> str:
    """Create the template's event bus and its archive (in moto, locally); returns the bus's name.
    Locally the archive is where the published events are read back (`/dev/events`)."""
    name = event_bus_name(environment, path)
    bus = client.create_event_bus(Name=name)
    archive = resource("EventArchive", path)["Properties"]
    client.create_archive(
        ArchiveName=_substitute(archive["ArchiveName"], _pseudo(environment)),
        EventSourceArn=bus["EventBusArn"],
        RetentionDays=archive["RetentionDays"],
    )
    return name


def create_configuration_set(client: Any, name: str, region: str, account: str, path: Path = TEMPLATE) -> str:
    """Create the template's SES configuration set with its event destination (in moto, locally)."""
    client.create_configuration_set(ConfigurationSetName=name)
    destination = dict(resource("MailFeedbackDestination", path)["Properties"]["EventDestination"])
    default_bus = f"arn:aws:events:{region}:{account}:event-bus/default"
    client.create_configuration_set_event_destination(
        ConfigurationSetName=name,
        EventDestinationName=destination.pop("Name"),
        EventDestination=destination | {"EventBridgeDestination": {"EventBusArn": default_bus}},
    )
    return name


def event_rule_pattern(function: str, event: str, references: dict[str, str], path: Path = TEMPLATE) -> Any:
    """An `EventBridgeRule` event's pattern with its `!Ref`s resolved: what the rule lets through."""
    pattern = resource(function, path)["Properties"]["Events"][event]["Properties"]["Pattern"]
    return _resolve_refs(pattern, references)


def _resolve_refs(value: Any, references: dict[str, str]) -> Any:
    if isinstance(value, dict):
        if set(value) == {"Ref"}:
            return references[value["Ref"]]
        return {k: _resolve_refs(v, references) for k, v in value.items()}
    if isinstance(value, list):
        return [_resolve_refs(v, references) for v in value]
    return value


def _pseudo(environment: str) -> dict[str, str]:
    return {"AWS::StackName": stack_name(environment)}


def create_failure_queue(client: Any, queue_name: str, path: Path = TEMPLATE) -> str:
    """Create the template's failure queue of the stream mapping (in moto, locally); returns its URL."""
    destination = resource("NotifyStreamMapping", path)["Properties"]["DestinationConfig"]["OnFailure"]
    queue = resource(destination["Destination"]["Fn::GetAtt"][0], path)["Properties"]
    attributes = {"MessageRetentionPeriod": str(queue["MessageRetentionPeriod"])}
    return str(client.create_queue(QueueName=queue_name, Attributes=attributes)["QueueUrl"])


def response_headers(logical_id: str, variables: dict[str, str], path: Path = TEMPLATE) -> dict[str, str]:
    """The HTTP headers a CloudFront response headers policy adds, for the local stack to add alike.

    `variables` resolve the policy's `!Sub` values (e.g. `IssuerHost` in the content security policy).
    """
    config = resource(logical_id, path)["Properties"]["ResponseHeadersPolicyConfig"]
    security = config.get("SecurityHeadersConfig", {})
    headers: dict[str, str] = {}
    if "ContentSecurityPolicy" in security:
        headers["Content-Security-Policy"] = _substitute(
            security["ContentSecurityPolicy"]["ContentSecurityPolicy"], variables
        )
    if "ContentTypeOptions" in security:
        headers["X-Content-Type-Options"] = "nosniff"
    if "FrameOptions" in security:
        headers["X-Frame-Options"] = security["FrameOptions"]["FrameOption"]
    if "ReferrerPolicy" in security:
        headers["Referrer-Policy"] = security["ReferrerPolicy"]["ReferrerPolicy"]
    if "StrictTransportSecurity" in security:
        hsts = security["StrictTransportSecurity"]
        subdomains = "; includeSubDomains" if hsts.get("IncludeSubdomains") else ""
        headers["Strict-Transport-Security"] = f"max-age={hsts['AccessControlMaxAgeSec']}{subdomains}"
    for item in config.get("CustomHeadersConfig", {}).get("Items", []):
        headers[item["Header"]] = item["Value"]
    return headers


def _substitute(value: Any, variables: dict[str, str]) -> str:
    """A `!Sub` (or `!Ref`) of names in `variables`, resolved; a plain string as it is."""
    if isinstance(value, str):
        return value
    if "Ref" in value:
        return variables[value["Ref"]]
    sub = value["Fn::Sub"]
    text = sub if isinstance(sub, str) else sub[0]
    return re.sub(r"\$\{([\w:]+)\}", lambda found: variables[found.group(1)], text)


def page_routes(path: Path = TEMPLATE) -> dict[str, str]:
    """The deep-link paths → pages table of the CloudFront Function, for the local stack to serve alike."""
    code = resource("PagesRouterFunction", path)["Properties"]["FunctionCode"]
    found = re.search(r"var routes = (\{.*?\});", code, re.DOTALL)
    if found is None:
        raise ValueError("PagesRouterFunction has no `var routes = {...};` table")
    routes: dict[str, str] = json.loads(found.group(1))
    return routes


def not_found_page(path: Path = TEMPLATE) -> str:
    """The page the CloudFront Function serves for a page address nobody serves."""
    code = resource("PagesRouterFunction", path)["Properties"]["FunctionCode"]
    found = re.search(r'var notFound = "([^"]+)";', code)
    if found is None:
        raise ValueError('PagesRouterFunction has no `var notFound = "...";`')
    return found.group(1)


def function_of(mapping: dict[str, Any]) -> str:
    """The logical id of the function an event source mapping invokes (`!Ref Fn` or `!Ref Fn.Alias`)."""
    return str(mapping["FunctionName"]["Ref"]).removesuffix(".Alias")
