"""template.yaml: what the deployed system promises, checked on the template itself."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from devstack import template
from tests.conftest import Table

ROOT = Path(__file__).resolve().parents[2]
CFN_LINT = Path(sys.executable).parent / "cfn-lint"
FUNCTIONS = [
    "SubmitRequestFunction",
    "ListTasksFunction",
    "DecideFunction",
    "NotifyFunction",
    "TimersFunction",
    "SesFeedbackFunction",
]
PUBLIC_ROUTES = {("GET", "/api/health"), ("GET", "/api/openapi.json"), ("ANY", "/api/{proxy+}")}


def _resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template.load()["Resources"].items() if r["Type"] == kind}


def _routes() -> list[tuple[str, str, dict[str, Any]]]:
    routes = []
    for function in _resources("AWS::Serverless::Function").values():
        for event in function["Properties"].get("Events", {}).values():
            if event["Type"] == "HttpApi":
                properties = event["Properties"]
                routes.append((properties["Method"], properties["Path"], properties))
    return routes


def test_the_table_in_moto_is_the_tables_definition(table: Table) -> None:
    description = table.client.describe_table(TableName=table.name)["Table"]
    declared = template.resource("Table")["Properties"]
    assert description["KeySchema"] == declared["KeySchema"]
    assert {i["IndexName"] for i in description["GlobalSecondaryIndexes"]} == {"GSI1", "GSI2", "GSI3"}
    assert description["StreamSpecification"] == {
        "StreamEnabled": True,
        "StreamViewType": "NEW_AND_OLD_IMAGES",
    }
    ttl = table.client.describe_time_to_live(TableName=table.name)["TimeToLiveDescription"]
    assert ttl["AttributeName"] == "ttl"


def test_the_table_is_protected_and_recoverable() -> None:
    properties = template.resource("Table")["Properties"]
    assert properties["BillingMode"] == "PAY_PER_REQUEST"
    assert properties["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    assert properties["SSESpecification"] == {"SSEEnabled": True}
    assert properties["DeletionProtectionEnabled"] == {"Fn::If": ["IsProduction", True, False]}


def test_every_function_runs_python_3_13_on_arm64_with_the_common_layer() -> None:
    globals_ = template.load()["Globals"]["Function"]
    assert (globals_["Runtime"], globals_["Architectures"]) == ("python3.13", ["arm64"])
    assert globals_["Layers"] == [{"Ref": "CommonLayer"}]
    assert set(_resources("AWS::Serverless::Function")) == set(FUNCTIONS)
    layer = template.resource("CommonLayer")
    assert layer["Metadata"] == {"BuildMethod": "makefile", "BuildArchitecture": "arm64"}
    assert layer["Properties"]["CompatibleArchitectures"] == ["arm64"]


def test_the_bench_runs_the_functions_with_the_templates_environment() -> None:
    from bench.run import ENVIRONMENT

    variables = template.load()["Globals"]["Function"]["Environment"]["Variables"]
    literal = {name: value for name, value in variables.items() if isinstance(value, str)}
    assert literal["PYDANTIC_DISABLE_PLUGINS"] == "__all__"
    del literal["POWERTOOLS_LOG_LEVEL"]  # the bench keeps its output quiet
    assert {name: ENVIRONMENT.get(name) for name in literal} == literal


def test_every_api_route_but_health_and_openapi_needs_a_token() -> None:
    api = template.resource("HttpApi")["Properties"]
    assert api["Auth"]["DefaultAuthorizer"] == "OidcAuthorizer"
    jwt = api["Auth"]["Authorizers"]["OidcAuthorizer"]["JwtConfiguration"]
    assert jwt == {"issuer": {"Ref": "OidcIssuer"}, "audience": [{"Ref": "OidcAudience"}]}
    for method, path, properties in _routes():
        assert path.startswith("/api/")
        public = properties.get("Auth") == {"Authorizer": "NONE"}
        assert public == ((method, path) in PUBLIC_ROUTES), (method, path)


def test_the_routes_of_the_contract_are_all_declared() -> None:
    declared = {(method, path) for method, path, _ in _routes()}
    assert declared == PUBLIC_ROUTES | {
        ("GET", "/api/registration-form"),
        ("POST", "/api/requests"),
        ("POST", "/api/requests/check"),
        ("GET", "/api/requests"),
        ("GET", "/api/requests/{id}"),
        ("POST", "/api/requests/{id}/cancel"),
        ("GET", "/api/organizations/{code}"),
        ("GET", "/api/me"),
        ("GET", "/api/tasks"),
        ("GET", "/api/tasks/{id}"),
        ("POST", "/api/tasks/{id}/decision"),
        ("GET", "/api/organizations/{code}/admins"),
        ("POST", "/api/organizations/{code}/admins/self"),
        ("POST", "/api/organizations/{code}/admins"),
        ("DELETE", "/api/organizations/{code}/admins/{sub}"),
        ("GET", "/api/organizations/{code}/people"),
        ("GET", "/api/people"),
        ("GET", "/api/organizations"),
        ("GET", "/api/grants"),
        ("GET", "/api/organizations/{code}/people/compare"),
        ("GET", "/api/organizations/{code}/audit"),
        ("GET", "/api/organizations/{code}/rights"),
        ("POST", "/api/organizations/{code}/grants"),
        ("POST", "/api/grants/{id}/revoke"),
        ("POST", "/api/work-relationships/{id}/end"),
        ("GET", "/api/me/export"),
        ("GET", "/api/applications/{application}/grants"),
    }


def test_only_the_machine_route_asks_the_authorizer_for_a_scope() -> None:
    """In AWS the JWT authorizer refuses a token without `grants.read` there (docs/applications.md)."""
    events = [
        event["Properties"]
        for resource in template.load()["Resources"].values()
        if resource["Type"] == "AWS::Serverless::Function"
        for event in resource["Properties"].get("Events", {}).values()
        if event["Type"] == "HttpApi"
    ]
    scoped = {
        (route["Method"], route["Path"]): route["Auth"]["AuthorizationScopes"]
        for route in events
        if "AuthorizationScopes" in route.get("Auth", {})
    }
    assert scoped == {("GET", "/api/applications/{application}/grants"): ["grants.read"]}


def test_notify_reads_the_stream_with_partial_failures_and_a_failure_destination() -> None:
    mapping = template.resource("NotifyStreamMapping")["Properties"]
    assert mapping["EventSourceArn"] == {"Fn::GetAtt": ["Table", "StreamArn"]}
    assert mapping["FunctionResponseTypes"] == ["ReportBatchItemFailures"]
    assert mapping["BisectBatchOnFunctionError"] is True
    assert 0 < mapping["MaximumRetryAttempts"] <= 10
    assert 60 <= mapping["MaximumRecordAgeInSeconds"] <= 86400
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["NotifyFailureQueue", "Arn"]
    }


def _statements(function: str) -> list[dict[str, Any]]:
    policies = template.resource(function)["Properties"]["Policies"]
    return [statement for policy in policies for statement in policy["Statement"]]


def test_list_tasks_may_only_read() -> None:
    listed = [s["Action"] for s in _statements("ListTasksFunction")]
    actions = {a for action in listed for a in ([action] if isinstance(action, str) else action)}
    assert actions <= {"dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:Query"}


@pytest.mark.parametrize("function", FUNCTIONS)
def test_no_function_may_scan_or_use_wildcard_actions(function: str) -> None:
    for statement in _statements(function):
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert "dynamodb:Scan" not in actions
        assert not any(action.endswith("*") for action in actions)
        if statement["Resource"] == "*":
            assert actions == ["dynamodb:ListStreams"]  # has no resource-level permission


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_logs_to_its_own_group_with_retention(function: str) -> None:
    group = template.resource(function)["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]
    assert template.resource(group)["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionInDays"}


def test_the_api_is_throttled() -> None:
    settings = template.resource("HttpApi")["Properties"]["DefaultRouteSettings"]
    assert settings["ThrottlingRateLimit"] > 0 and settings["ThrottlingBurstLimit"] > 0


@pytest.mark.slow
def test_cfn_lint_accepts_the_template() -> None:
    result = subprocess.run(
        [CFN_LINT, "template.yaml"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.slow
@pytest.mark.parametrize(
    ("original", "broken"),
    [
        ("Layers: [!Ref CommonLayer]", "Layers: [!Ref CommonLayr]"),
        ("EventSourceArn: !GetAtt Table.StreamArn", "EventSourceArn: !GetAtt Tabel.StreamArn"),
        ("LogGroup: !Ref NotifyLogGroup", "LogGroup: !Ref NotifyLogGrp"),
    ],
)
def test_a_broken_reference_fails_the_template_check(tmp_path: Path, original: str, broken: str) -> None:
    text = (ROOT / "template.yaml").read_text()
    assert original in text
    shutil.copytree(ROOT / "layers", tmp_path / "layers")
    shutil.copytree(ROOT / "functions", tmp_path / "functions")
    (tmp_path / "template.yaml").write_text(text.replace(original, broken, 1))
    result = subprocess.run(
        [CFN_LINT, "template.yaml"], cwd=tmp_path, capture_output=True, text=True, check=False
    )
    assert result.returncode != 0
    assert broken.split()[-1].strip("]").split(".")[0] in result.stdout


CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"


def _checkov(directory: Path) -> dict[str, Any]:
    assert CHECKOV.exists(), "make test installs checkov into .venv-checkov (requirements/checkov.lock)"
    result = subprocess.run(
        [CHECKOV, "--skip-download", "--framework", "cloudformation", "-o", "json", "-f", "template.yaml"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=False,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def test_every_checkov_skip_says_why_on_its_resource() -> None:
    skips = [
        (name, skip)
        for name, resource in template.load()["Resources"].items()
        for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", [])
    ]
    assert skips
    for name, skip in skips:
        assert re.fullmatch(r"CKV_AWS_\d+", skip["id"]), name
        assert len(skip.get("comment", "")) >= 60, f"{name} skips {skip['id']} without its reason"
    # decided per resource, never for the whole template
    assert "checkov" not in template.load().get("Metadata", {})


@pytest.mark.slow
def test_checkov_fails_no_check_and_each_skip_carries_its_reason() -> None:
    report = _checkov(ROOT)
    assert report["summary"]["failed"] == 0, [c["check_id"] for c in report["results"]["failed_checks"]]
    assert report["summary"]["passed"] >= 30
    for skipped in report["results"]["skipped_checks"]:
        assert skipped["check_result"]["suppress_comment"], skipped["resource"]


@pytest.mark.slow
def test_a_check_without_its_skip_fails_checkov(tmp_path: Path) -> None:
    text = (ROOT / "template.yaml").read_text()
    skip = "          - id: CKV_AWS_119\n"
    assert text.count(skip) == 1
    (tmp_path / "template.yaml").write_text(text.replace(skip, "          - id: CKV_AWS_0\n"))
    report = _checkov(tmp_path)
    assert [c["check_id"] for c in report["results"]["failed_checks"]] == ["CKV_AWS_119"]


def test_the_pages_come_from_a_private_bucket_through_cloudfront_with_the_api_on_the_same_origin() -> None:
    bucket = template.resource("WebBucket")["Properties"]
    assert all(bucket["PublicAccessBlockConfiguration"].values())
    config = template.resource("Distribution")["Properties"]["DistributionConfig"]
    origins = {o["Id"]: o for o in config["Origins"]}
    assert origins["pages"]["OriginAccessControlId"] == {"Fn::GetAtt": ["WebOriginAccessControl", "Id"]}
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["TargetOriginId"] == "api" and "POST" in api["AllowedMethods"]
    assert "HttpApi" in str(origins["api"]["DomainName"])
    associations = config["DefaultCacheBehavior"]["FunctionAssociations"]
    assert associations[0]["EventType"] == "viewer-request"


def test_every_deep_link_path_has_a_page() -> None:
    routes = template.page_routes()
    assert routes["/user/aanvraag"] == routes["/user/aanvraag_werkrelatie"] == "/user/aanvraag.html"
    assert routes["/beheer/taken/*"] == "/beheer/taak.html"
    for page in [*routes.values(), template.not_found_page()]:
        assert (ROOT / "web" / page.lstrip("/")).is_file(), page


def test_api_answers_through_cloudfront_are_never_stored_or_sniffed() -> None:
    config = template.resource("Distribution")["Properties"]["DistributionConfig"]
    [api] = [b for b in config["CacheBehaviors"] if b["PathPattern"] == "/api/*"]
    assert api["ResponseHeadersPolicyId"] == {"Ref": "ApiHeadersPolicy"}
    headers = template.response_headers("ApiHeadersPolicy", {})
    assert headers["Cache-Control"] == "no-store"
    assert headers["X-Content-Type-Options"] == "nosniff"


def _alarms() -> dict[str, dict[str, Any]]:
    return {
        name: resource["Properties"]
        for name, resource in template.load()["Resources"].items()
        if resource["Type"] == "AWS::CloudWatch::Alarm"
    }


OWN_NAMESPACE = "Zelfregistratie/${AWS::StackName}"  # the functions' metrics: one namespace per stack


def _namespace(value: Any) -> str:
    """AWS's namespaces as they are; the stack's own as `stack`."""
    if value == {"Fn::Sub": OWN_NAMESPACE}:
        return "stack"
    assert isinstance(value, str) and value.startswith("AWS/"), value
    return value


def _insights_metric(expression: str) -> str:
    """`SELECT SUM(MailsFailed) FROM "Zelfregistratie/${AWS::StackName}"` → `stack/MailsFailed`; a query
    of another namespace (the account's, every stack's) fails."""
    found = re.fullmatch(r'SELECT [A-Z]+\((\w+)\) FROM "([^"]+)"( GROUP BY .+)?', expression)
    assert found is not None, expression
    assert found[2] == OWN_NAMESPACE, expression
    return f"stack/{found[1]}"


def _alarm_metrics(alarm: dict[str, Any]) -> set[str]:
    if "MetricName" in alarm:
        return {f"{_namespace(alarm['Namespace'])}/{alarm['MetricName']}"}
    found = set()
    for query in alarm["Metrics"]:
        if "MetricStat" in query:
            metric = query["MetricStat"]["Metric"]
            found.add(f"{_namespace(metric['Namespace'])}/{metric['MetricName']}")
        elif "Fn::Sub" in query.get("Expression", {}):
            found.add(_insights_metric(query["Expression"]["Fn::Sub"]))
        else:
            assert not query["Expression"].startswith("SELECT"), "a metrics query not bound to the stack"
    return found


def test_every_alarm_tells_the_topic_and_the_ones_ops_need_exist() -> None:
    alarms = _alarms()
    assert all(a["AlarmActions"] == [{"Ref": "AlarmTopic"}] for a in alarms.values())
    watched = {metric for alarm in alarms.values() for metric in _alarm_metrics(alarm)}
    assert watched == {
        "AWS/SQS/ApproximateNumberOfMessagesVisible",
        "AWS/Lambda/IteratorAge",
        "AWS/Lambda/Errors",
        "AWS/Lambda/Throttles",
        "AWS/Lambda/Invocations",
        "AWS/ApiGateway/5xx",
        "AWS/ApiGateway/Count",
        "AWS/ApiGateway/Latency",
        "AWS/DynamoDB/ReadThrottleEvents",
        "AWS/DynamoDB/WriteThrottleEvents",
        "stack/MailsFailed",
        "stack/MailsBlocked",
        "stack/MailsRejected",
        "stack/ApiAuthRejections",
        "AWS/SES/Reputation.BounceRate",
        "AWS/SES/Reputation.ComplaintRate",
    }
    for function in FUNCTIONS:
        for metric in ("Errors", "Throttles"):
            [alarm] = [
                a
                for a in alarms.values()
                if a.get("MetricName") == metric and a["Dimensions"][0]["Value"] == {"Ref": function}
            ]
            assert alarm["Threshold"] == 0
    iterator_age = next(a for a in alarms.values() if a.get("MetricName") == "IteratorAge")
    assert iterator_age["Threshold"] == 300_000  # 5 minutes, in milliseconds
    subscription = template.resource("AlarmSubscription")
    assert subscription["Condition"] == "HasAlarmEmail"
    assert subscription["Properties"]["Endpoint"] == {"Ref": "AlarmEmail"}


def test_the_dashboard_shows_what_the_alarms_watch_for_every_function() -> None:
    body = json.loads(template.resource("Dashboard")["Properties"]["DashboardBody"]["Fn::Sub"])
    shown = set()
    per_function: dict[str, set[str]] = {}
    for widget in body["widgets"]:
        for line in widget["properties"]["metrics"]:
            if isinstance(line[0], dict):  # SELECT SUM(MailsSent) FROM "…", SELECT MAX(…) …
                shown.add(_insights_metric(line[0]["expression"]))
            elif line[0] == OWN_NAMESPACE:
                shown.add(f"stack/{line[1]}")
            else:
                shown.add(f"{line[0]}/{line[1]}")
                if line[2:3] == ["FunctionName"]:
                    per_function.setdefault(line[1], set()).add(line[3])
    watched = {metric for alarm in _alarms().values() for metric in _alarm_metrics(alarm)}
    assert watched <= shown
    every_function = {f"${{{function}}}" for function in FUNCTIONS}
    assert per_function["Errors"] == per_function["Throttles"] == every_function


def test_what_holds_state_or_evidence_outlives_the_stack_but_not_a_failed_first_create() -> None:
    kept = {"AWS::Logs::LogGroup", "AWS::SQS::Queue", "AWS::DynamoDB::Table", "AWS::S3::Bucket"}
    for name, resource in template.load()["Resources"].items():
        if resource["Type"] in kept:
            assert resource.get("UpdateReplacePolicy") == "Retain", name
            # Only the table keeps what a rolled-back create made (prd's deletion protection would
            # fail its deletion); it has no fixed name, so a retry does not collide with it.
            expected = "Retain" if name == "Table" else "RetainExceptOnCreate"
            assert resource.get("DeletionPolicy") == expected, name
    assert "TableName" not in template.resource("Table")["Properties"]


def test_samconfig_carries_no_deployments_own_addresses_and_tags_every_resource_for_cost() -> None:
    import tomllib

    config = tomllib.loads((ROOT / "samconfig.toml").read_text(encoding="utf-8"))
    for environment in ("ti", "prd"):
        deploy = config[environment]["deploy"]["parameters"]
        overrides = dict(o.split("=", 1) for o in deploy["parameter_overrides"])
        assert overrides["Environment"] == environment
        # A deployment's own domain, sender and alarm address are passed when deploying, not kept here.
        assert not {"DomainName", "CertificateArn", "SesSenderIdentity", "AlarmEmail"} & set(overrides)
        assert "example" not in json.dumps(deploy)
        tags = dict(t.split("=", 1) for t in deploy["tags"].split())
        assert tags == {
            "project": '"zelfregistratie"',
            "environment": f'"{environment}"',
            "cost-center": '"zelfregistratie"',
        }
