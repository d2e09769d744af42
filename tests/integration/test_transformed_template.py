"""What CloudFormation deploys: template.yaml through the SAM transform (devstack/sam_transform.py), with
and without a domain of its own, its conditions evaluated for those parameters."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from moto.events.models import EventPattern

from devstack import template
from devstack.sam_transform import REQUIRED, STACK_NAME, pseudo_parameters, transformed
from ops import streams

DOMAIN = {
    "DomainName": "zelfregistratie.example.org",
    "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0b9a7c1e-5f44-4d3a-9f00-1a2b3c4d5e6f",
}
FUNCTIONS = ["SubmitRequestFunction", "ListTasksFunction", "DecideFunction", "NotifyFunction"]
EVERY_FUNCTION = [*FUNCTIONS, "TimersFunction", "SesFeedbackFunction"]
NO_VALUE = object()


class Deployed:
    """A transformed template and the parameter values it is deployed with."""

    def __init__(self, parameters: dict[str, str], stack_name: str = STACK_NAME) -> None:
        self.document = transformed(parameters, stack_name=stack_name)
        defaults = {n: p.get("Default") for n, p in self.document["Parameters"].items()}
        self.parameters: dict[str, Any] = defaults | REQUIRED | parameters | pseudo_parameters(stack_name)

    def resources(self, kind: str) -> dict[str, dict[str, Any]]:
        return {k: r for k, r in self.document["Resources"].items() if r["Type"] == kind}

    def properties(self, logical_id: str) -> dict[str, Any]:
        found: dict[str, Any] = self.document["Resources"][logical_id]["Properties"]
        return found

    def condition(self, name: str) -> bool:
        return bool(self.resolve(self.document["Conditions"][name]))

    def resolve(self, value: Any) -> Any:
        """Parameters, conditions and `Fn::Sub` over parameters resolved; other references kept."""
        if isinstance(value, list):
            return [v for v in (self.resolve(v) for v in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        [function, *others] = value
        if others or not (function == "Ref" or function.startswith("Fn::")):
            pairs = ((k, self.resolve(v)) for k, v in value.items())
            return {k: v for k, v in pairs if v is not NO_VALUE}
        argument = value[function]
        if function == "Ref" and argument == "AWS::NoValue":
            return NO_VALUE
        if function == "Ref" and argument in self.parameters:
            return self.parameters[argument]
        if function == "Fn::If":
            name, then, otherwise = argument
            return self.resolve(then if self.condition(name) else otherwise)
        if function == "Fn::Equals":
            left, right = (self.resolve(a) for a in argument)
            return left == right
        if function == "Fn::Not":
            return not self.resolve(argument[0])
        if function == "Fn::And":
            return all(self.resolve(a) for a in argument)
        if function == "Fn::Join":
            separator, parts = argument[0], self.resolve(argument[1])
            return separator.join(parts) if all(isinstance(p, str) for p in parts) else value
        if function == "Fn::Sub" and isinstance(argument, str):
            for name, parameter in self.parameters.items():
                argument = argument.replace(f"${{{name}}}", str(parameter))
            return argument if "${" not in argument else {"Fn::Sub": argument}
        return {function: self.resolve(argument)}


@pytest.fixture(scope="module")
def plain() -> Deployed:
    return Deployed({})


@pytest.fixture(scope="module")
def with_domain() -> Deployed:
    return Deployed(DOMAIN)


def test_with_a_domain_cloudfront_answers_for_it_with_its_certificate(with_domain: Deployed) -> None:
    config = with_domain.resolve(with_domain.properties("Distribution")["DistributionConfig"])
    assert config["Aliases"] == ["zelfregistratie.example.org"]
    assert config["ViewerCertificate"] == {
        "AcmCertificateArn": DOMAIN["CertificateArn"],
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }


def test_without_a_domain_the_distribution_keeps_its_own(plain: Deployed) -> None:
    config = plain.resolve(plain.properties("Distribution")["DistributionConfig"])
    assert "Aliases" not in config
    assert config["ViewerCertificate"] == {"CloudFrontDefaultCertificate": True}


@pytest.mark.parametrize(
    ("parameters", "expected"),
    [
        ({}, {"Fn::Sub": "https://${Distribution.DomainName}"}),
        (DOMAIN, "https://zelfregistratie.example.org"),
    ],
)
def test_mail_links_and_the_output_use_the_one_public_base_url(
    parameters: dict[str, str], expected: object
) -> None:
    deployed = Deployed(parameters)
    notify = deployed.resolve(deployed.properties("NotifyFunction")["Environment"]["Variables"])
    assert notify["PUBLIC_BASE_URL"] == expected
    assert deployed.resolve(deployed.document["Outputs"]["PublicBaseUrl"]["Value"]) == expected
    assert "PublicBaseUrl" not in deployed.document["Parameters"]  # derived, never typed twice
    for function in FUNCTIONS[:3]:  # the API functions link nowhere
        assert "PUBLIC_BASE_URL" not in deployed.properties(function)["Environment"]["Variables"]


@pytest.mark.parametrize(
    ("parameters", "holds"),
    [
        ({}, True),
        (DOMAIN, True),
        ({"DomainName": DOMAIN["DomainName"]}, False),
        ({"CertificateArn": "x"}, False),
        # production runs on its own domain: *.cloudfront.net's certificate would let TLS 1.0 in
        ({"Environment": "prd"}, False),
        ({"Environment": "prd"} | DOMAIN, True),
    ],
)
def test_a_domain_and_its_certificate_come_together(parameters: dict[str, str], holds: bool) -> None:
    deployed = Deployed(parameters)
    assertions = [
        deployed.resolve(assertion["Assert"])
        for rule in deployed.document["Rules"].values()
        if deployed.resolve(rule["RuleCondition"])
        for assertion in rule["Assertions"]
    ]
    assert all(assertions) is holds


def test_every_function_is_published_behind_an_alias_shifted_by_a_canary_rolled_back_by_its_alarm(
    plain: Deployed,
) -> None:
    aliases = plain.resources("AWS::Lambda::Alias")
    groups = plain.resources("AWS::CodeDeploy::DeploymentGroup")
    for function in FUNCTIONS:
        alias = aliases[f"{function}Aliaslive"]
        assert alias["Properties"]["FunctionName"] == {"Ref": function}
        assert alias["Properties"]["Name"] == "live"
        update = alias["UpdatePolicy"]["CodeDeployLambdaAliasUpdate"]
        assert update["DeploymentGroupName"] == {"Ref": f"{function}DeploymentGroup"}
        group = groups[f"{function}DeploymentGroup"]["Properties"]
        assert plain.resolve(group["DeploymentConfigName"]) == {
            "Fn::Sub": ["CodeDeployDefault.Lambda${ConfigName}", {"ConfigName": "Canary10Percent5Minutes"}]
        }
        errors_alarm = function.removesuffix("Function") + "ErrorsAlarm"
        assert group["AlarmConfiguration"] == {"Alarms": [{"Name": {"Ref": errors_alarm}}], "Enabled": True}
        assert "DEPLOYMENT_STOP_ON_ALARM" in group["AutoRollbackConfiguration"]["Events"]


def test_the_api_and_the_stream_call_the_alias_not_the_latest_code(plain: Deployed) -> None:
    [api] = plain.resources("AWS::ApiGatewayV2::Api").values()
    body = json.dumps(api["Properties"]["Body"])
    for function in FUNCTIONS[:3]:
        assert f"{function}Aliaslive" in body
        assert f"${{{function}.Arn}}" not in body
    assert plain.properties("NotifyStreamMapping")["FunctionName"] == {"Ref": "NotifyFunctionAliaslive"}


@pytest.mark.parametrize(("value", "enabled"), [("Disabled", False), ("Enabled", True)])
def test_snap_start_is_a_parameter(value: str, enabled: bool) -> None:
    deployed = Deployed({"SnapStart": value})
    for function in FUNCTIONS:
        applied = deployed.resolve(deployed.properties(function)["SnapStart"])
        assert applied == {"ApplyOn": "PublishedVersions" if enabled else "None"}


def test_the_stream_mapping_passes_only_what_notify_acts_on(plain: Deployed) -> None:
    mapping = plain.properties("NotifyStreamMapping")
    assert streams.filter_patterns(mapping) == streams.filter_patterns(
        template.resource("NotifyStreamMapping")["Properties"]
    )
    # Lambda takes at most 5 filters per event source mapping (a default quota)
    assert len(streams.filter_patterns(mapping)) == 4
    assert mapping["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["NotifyFailureQueue", "Arn"]
    }


def test_the_alarms_go_to_the_topic_and_the_dashboard_is_there(plain: Deployed) -> None:
    alarms = plain.resources("AWS::CloudWatch::Alarm")
    assert len(alarms) == 25
    # SES's reputation: ops hear at half the rates at which SES reviews the account (5 %, 0.1 %)
    thresholds = {a["Properties"].get("MetricName"): a["Properties"]["Threshold"] for a in alarms.values()}
    assert thresholds["Reputation.BounceRate"] == 0.025 < 0.05
    assert thresholds["Reputation.ComplaintRate"] == 0.0005 < 0.001
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    assert list(plain.resources("AWS::SNS::Topic")) == ["AlarmTopic"]
    assert list(plain.resources("AWS::CloudWatch::Dashboard")) == ["Dashboard"]
    assert not plain.condition("HasAlarmEmail")
    assert Deployed({"AlarmEmail": "ops@example.org"}).condition("HasAlarmEmail")


# ---- Deploying from zero (docs/deploy.md) ------------------------------------------------------------

# Where a resource type carries a name that must be unique in the account and region.
ACCOUNT_WIDE_NAMES = {
    "AWS::Logs::LogGroup": ["LogGroupName"],
    "AWS::Events::EventBus": ["Name"],
    "AWS::Events::Archive": ["ArchiveName"],
    "AWS::Events::Rule": ["Name"],
    "AWS::Scheduler::Schedule": ["Name"],
    "AWS::CloudWatch::Dashboard": ["DashboardName"],
    "AWS::CloudWatch::Alarm": ["AlarmName"],
    "AWS::SES::ConfigurationSet": ["Name"],
    "AWS::SQS::Queue": ["QueueName"],
    "AWS::SNS::Topic": ["TopicName"],
    "AWS::DynamoDB::Table": ["TableName"],
    "AWS::S3::Bucket": ["BucketName"],
    "AWS::Lambda::Function": ["FunctionName"],
    "AWS::Lambda::LayerVersion": ["LayerName"],
    "AWS::IAM::Role": ["RoleName"],
    "AWS::KMS::Alias": ["AliasName"],
    "AWS::CloudFront::Function": ["Name"],
    "AWS::CloudFront::OriginAccessControl": ["OriginAccessControlConfig", "Name"],
    "AWS::CloudFront::ResponseHeadersPolicy": ["ResponseHeadersPolicyConfig", "Name"],
    "AWS::CodeDeploy::Application": ["ApplicationName"],
    "AWS::CodeDeploy::DeploymentGroup": ["DeploymentGroupName"],
}


def physical_names(deployed: Deployed) -> dict[str, str]:
    """Each resource's account-wide name as CloudFormation would create it; absent: it picks one."""
    names = {}
    for logical_id, resource in deployed.document["Resources"].items():
        path = ACCOUNT_WIDE_NAMES.get(resource["Type"])
        value: Any = resource.get("Properties", {})
        for key in path or ["-"]:
            value = value.get(key) if isinstance(value, dict) else None
        if value is not None:
            resolved = deployed.resolve(value)
            assert isinstance(resolved, str), (logical_id, resolved)
            names[logical_id] = resolved
    return names


def _by_resource(names: dict[str, str]) -> dict[str, str]:
    """Without the content hash SAM appends to a layer's logical id."""
    return {re.sub(r"(?<=Layer)[0-9a-f]{10}$", "", logical_id): name for logical_id, name in names.items()}


def test_two_stacks_in_one_account_and_region_share_no_name() -> None:
    """ti and prd, or two stacks of one environment, side by side: every name derives from the stack's."""
    one = _by_resource(physical_names(Deployed({}, stack_name="zelfregistratie-ti")))
    other = _by_resource(physical_names(Deployed({}, stack_name="zelfregistratie-ti-b")))
    assert set(one) == set(other)
    assert {"NotifyLogGroup", "EventBus", "Dashboard", "TimersFunctionHourly"} <= set(one)
    for logical_id, name in one.items():
        assert name != other[logical_id], logical_id
        assert "zelfregistratie-ti" in name, (logical_id, name)
    types = {r["Type"] for r in Deployed({}).document["Resources"].values()}
    unlisted = (
        types
        - set(ACCOUNT_WIDE_NAMES)
        - {
            # named inside their parent only, or never by name
            "AWS::ApiGatewayV2::Api",
            "AWS::ApiGatewayV2::Stage",
            "AWS::Lambda::Alias",
            "AWS::Lambda::Version",
            "AWS::Lambda::Permission",
            "AWS::Lambda::EventInvokeConfig",
            "AWS::Lambda::EventSourceMapping",
            "AWS::SES::ConfigurationSetEventDestination",
            "AWS::SQS::QueuePolicy",
            "AWS::S3::BucketPolicy",
            "AWS::SNS::Subscription",
            "AWS::KMS::Key",
            "AWS::Logs::MetricFilter",
            "AWS::CloudFront::Distribution",
        }
    )
    assert not unlisted, f"say whether these carry an account-wide name: {unlisted}"


def test_a_failed_first_create_leaves_nothing_named_behind(plain: Deployed) -> None:
    """A rolled-back create deletes what it made but what is `Retain`: a named one would make the next
    deploy fail with "already exists"."""
    named = physical_names(plain)
    for logical_id, resource in plain.document["Resources"].items():
        policy = resource.get("DeletionPolicy", "Delete")
        if logical_id in named:
            assert policy in ("RetainExceptOnCreate", "Delete"), logical_id
    for log_group in plain.resources("AWS::Logs::LogGroup").values():
        assert log_group["DeletionPolicy"] == "RetainExceptOnCreate"


def test_alarms_reach_people_through_a_topic_cloudwatch_can_publish_to(plain: Deployed) -> None:
    topic = plain.properties("AlarmTopic")
    key_ref = topic["KmsMasterKeyId"]
    assert key_ref == {"Ref": "AlarmTopicKey"}, "not an AWS managed key: CloudWatch cannot use alias/aws/sns"
    policy = plain.properties("AlarmTopicKey")["KeyPolicy"]["Statement"]
    [cloudwatch] = [s for s in policy if s.get("Principal") == {"Service": "cloudwatch.amazonaws.com"}]
    assert cloudwatch["Effect"] == "Allow"
    assert set(cloudwatch["Action"]) >= {"kms:Decrypt", "kms:GenerateDataKey*"}
    assert plain.properties("AlarmTopicKey")["EnableKeyRotation"] is True
    subscribed = Deployed({"AlarmEmail": "ops@example.org"})
    assert subscribed.condition("HasAlarmEmail")
    assert subscribed.properties("AlarmSubscription") == {
        "TopicArn": {"Ref": "AlarmTopic"},
        "Protocol": "email",
        "Endpoint": {"Ref": "AlarmEmail"},
    }


def test_the_stack_owns_the_configuration_set_whose_bounces_reach_ses_feedback(plain: Deployed) -> None:
    assert "SesConfigurationSet" not in plain.document["Parameters"]  # nothing to make by hand
    [configuration_set] = plain.resources("AWS::SES::ConfigurationSet")
    destination = plain.properties("MailFeedbackDestination")
    assert destination["ConfigurationSetName"] == {"Ref": configuration_set}
    assert "Condition" not in plain.document["Resources"]["MailFeedbackDestination"]
    event_destination = plain.resolve(destination["EventDestination"])
    assert event_destination["Enabled"] is True
    assert set(event_destination["MatchingEventTypes"]) == {"BOUNCE", "COMPLAINT"}
    assert event_destination["EventBridgeDestination"]["EventBusArn"] == (
        "arn:aws:events:eu-west-1:123456789012:event-bus/default"
    )
    notify = plain.properties("NotifyFunction")
    assert notify["Environment"]["Variables"]["SES_CONFIGURATION_SET"] == {"Ref": configuration_set}
    sends = [
        s
        for p in plain.properties("NotifyFunctionRole")["Policies"]
        for s in p["PolicyDocument"]["Statement"]
        if s["Action"] == "ses:SendEmail"
    ]
    assert {
        "Fn::Sub": "arn:${AWS::Partition}:ses:${AWS::Region}:${AWS::AccountId}:configuration-set/"
        "${" + configuration_set + "}"
    } in sends[0]["Resource"]


def test_the_feedback_rule_passes_this_stacks_bounces_only(plain: Deployed) -> None:
    """SES publishes every stack's events to the account's default bus."""
    [rule] = [r["Properties"] for r in plain.resources("AWS::Events::Rule").values()]
    references = {"MailConfigurationSet": "zelfregistratie-ti-MailConfigurationSet-1A2B"}
    pattern = EventPattern(None, template._resolve_refs(rule["EventPattern"], references))
    event = json.loads((template.ROOT / "tests" / "events" / "ses_bounce_permanent.json").read_text())
    event["detail"]["mail"]["tags"]["ses:configuration-set"] = [
        "zelfregistratie-ti-MailConfigurationSet-1A2B"
    ]
    assert pattern.matches_event(event)
    event["detail"]["mail"]["tags"]["ses:configuration-set"] = [
        "zelfregistratie-prd-MailConfigurationSet-9Z8Y"
    ]
    assert not pattern.matches_event(event)


def test_asynchronous_work_that_fails_is_kept_and_raises_an_alarm(plain: Deployed) -> None:
    queue = {"Fn::GetAtt": ["AsyncFailureQueue", "Arn"]}
    for function in ("TimersFunction", "SesFeedbackFunction"):
        config = plain.properties(f"{function}EventInvokeConfig")
        assert config["Qualifier"] == "live"
        assert config["DestinationConfig"]["OnFailure"]["Destination"] == queue
    [schedule] = plain.resources("AWS::Scheduler::Schedule").values()
    assert schedule["Properties"]["Target"]["DeadLetterConfig"] == {"Arn": queue}
    [rule] = plain.resources("AWS::Events::Rule").values()
    [target] = rule["Properties"]["Targets"]
    assert target["DeadLetterConfig"] == {"Arn": queue}
    # EventBridge may write the rule's dead letters, for that rule only
    [statement] = plain.properties("AsyncFailureQueuePolicy")["PolicyDocument"]["Statement"]
    assert statement["Principal"] == {"Service": "events.amazonaws.com"}
    assert statement["Condition"]["ArnEquals"]["aws:SourceArn"] == {
        "Fn::GetAtt": ["SesFeedbackFunctionFeedback", "Arn"]
    }
    alarm = plain.properties("AsyncFailuresQueuedAlarm")
    assert alarm["Dimensions"] == [
        {"Name": "QueueName", "Value": {"Fn::GetAtt": ["AsyncFailureQueue", "QueueName"]}}
    ]
    assert (alarm["Threshold"], alarm["ComparisonOperator"]) == (0, "GreaterThanThreshold")


def test_an_outage_of_sign_in_and_of_the_timers_raises_an_alarm(plain: Deployed) -> None:
    metric = plain.properties("ApiAuthRejectionsMetric")
    assert metric["LogGroupName"] == {"Ref": "ApiAccessLogGroup"}
    assert '$.status = "401"' in metric["FilterPattern"] and '$.status = "403"' in metric["FilterPattern"]
    # the access log writes the status as a string, which is what the filter compares
    log_format = plain.properties("HttpApiApiGatewayDefaultStage")["AccessLogSettings"]["Format"]
    assert '"status":"$context.status"' in log_format
    alarm = plain.properties("ApiAuthRejectionsAlarm")
    [share] = [m for m in alarm["Metrics"] if m.get("ReturnData", True)]
    assert share["Expression"] == "IF(requests >= 20, 100 * FILL(rejections, 0) / requests, 0)"
    assert alarm["Threshold"] == 50
    timers = plain.properties("TimersNotRunningAlarm")
    assert timers["MetricName"] == "Invocations"
    assert timers["Dimensions"] == [{"Name": "FunctionName", "Value": {"Ref": "TimersFunction"}}]
    assert timers["Period"] * timers["EvaluationPeriods"] == 2 * 3600
    assert (timers["Threshold"], timers["ComparisonOperator"]) == (1, "LessThanThreshold")
    assert timers["TreatMissingData"] == "breaching"  # no run, no data point


def test_the_dashboard_shows_all_six_functions(plain: Deployed) -> None:
    body = json.loads(plain.properties("Dashboard")["DashboardBody"]["Fn::Sub"])
    lambda_lines = [
        line
        for widget in body["widgets"]
        for line in widget["properties"]["metrics"]
        if line[:1] == ["AWS/Lambda"]
    ]
    for metric in ("Errors", "Throttles"):
        shown = {line[3] for line in lambda_lines if line[1] == metric}
        assert shown == {f"${{{function}}}" for function in EVERY_FUNCTION}


@pytest.mark.parametrize("stack_name", ["zelfregistratie-ti", "zelfregistratie-prd"])
def test_the_stacks_own_metrics_are_counted_per_stack(stack_name: str) -> None:
    """Two stacks in one account never count each other's mails: the functions put their figures in
    the stack's namespace, and every metrics query and filter reads that one."""
    deployed = Deployed({}, stack_name=stack_name)
    namespace = f"Zelfregistratie/{stack_name}"
    variables = deployed.resolve(deployed.properties("NotifyFunction")["Environment"]["Variables"])
    assert variables["POWERTOOLS_METRICS_NAMESPACE"] == namespace
    queries = [
        deployed.resolve(m["Expression"])
        for alarm in deployed.resources("AWS::CloudWatch::Alarm").values()
        for m in alarm["Properties"].get("Metrics", [])
        if "Expression" in m
    ]
    body = deployed.properties("Dashboard")["DashboardBody"]["Fn::Sub"].replace(
        "${AWS::StackName}", stack_name
    )
    for widget in json.loads(body)["widgets"]:
        queries += [
            line[0]["expression"] for line in widget["properties"]["metrics"] if isinstance(line[0], dict)
        ]
    selects = [q for q in queries if q.startswith("SELECT")]
    assert len(selects) >= 8
    for query in selects:
        assert f'FROM "{namespace}"' in query, query
    filter_namespace = deployed.properties("ApiAuthRejectionsMetric")["MetricTransformations"][0][
        "MetricNamespace"
    ]
    assert deployed.resolve(filter_namespace) == namespace
