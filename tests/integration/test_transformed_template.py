"""What CloudFormation deploys: template.yaml through the SAM transform (tools/sam_transform.py), with
and without a domain of its own, its conditions evaluated for those parameters."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tools import streams, template
from tools.sam_transform import REQUIRED, transformed

DOMAIN = {
    "DomainName": "zelfregistratie.example.org",
    "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/0b9a7c1e-5f44-4d3a-9f00-1a2b3c4d5e6f",
}
FUNCTIONS = ["SubmitRequestFunction", "ListTasksFunction", "DecideFunction", "NotifyFunction"]
NO_VALUE = object()


class Deployed:
    """A transformed template and the parameter values it is deployed with."""

    def __init__(self, parameters: dict[str, str]) -> None:
        self.document = transformed(parameters)
        defaults = {n: p.get("Default") for n, p in self.document["Parameters"].items()}
        self.parameters: dict[str, Any] = defaults | REQUIRED | parameters

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
    assert len(alarms) == 21
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
