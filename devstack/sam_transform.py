"""template.yaml through the SAM transform, as CloudFormation applies it on deploy, without an AWS
account: aws-sam-translator is the library the service runs.

    python -m devstack.sam_transform [--parameter DomainName=zelfregistratie.example.org …] [--output FILE]

`make template-check` lints the result with cfn-lint, and tests read what the transform makes of the
template (aliases, deployment groups, alarms, the distribution) from it.
"""

from __future__ import annotations

import argparse
import copy
import json
import logging
import sys
from pathlib import Path
from typing import Any

import boto3
from samtranslator.parser.parser import Parser
from samtranslator.translator.translator import Translator

from devstack import template

REGION = "eu-west-1"
STACK_NAME = "zelfregistratie-ti"


def pseudo_parameters(stack_name: str = STACK_NAME) -> dict[str, Any]:
    """The pseudo parameters the transform may resolve; CloudFormation fills them in from the stack."""
    return {
        "AWS::AccountId": "123456789012",
        "AWS::Region": REGION,
        "AWS::Partition": "aws",
        "AWS::StackName": stack_name,
        "AWS::StackId": f"arn:aws:cloudformation:{REGION}:123456789012:stack/{stack_name}/0",
        "AWS::URLSuffix": "amazonaws.com",
        "AWS::NotificationARNs": [],
    }


# What a deployment must pass (the rest have defaults); values as the ti environment's.
REQUIRED = {
    "Environment": "ti",
    "OidcIssuer": "https://authenticatie-ti.vlaanderen.be/op",
    "OidcAudience": "zelfregistratie",
    "SesSenderIdentity": "no-reply@zelfregistratie.test",
}


def _packaged(document: dict[str, Any]) -> dict[str, Any]:
    """As `sam package` leaves it: local code folders replaced by S3 locations."""
    packaged = copy.deepcopy(document)
    for logical_id, resource in packaged["Resources"].items():
        properties = resource.get("Properties", {})
        for key in ("CodeUri", "ContentUri"):
            if isinstance(properties.get(key), str) and not properties[key].startswith("s3://"):
                properties[key] = f"s3://zelfregistratie-artifacts/{logical_id}.zip"
    return packaged


def transformed(
    parameters: dict[str, str] | None = None, path: Path = template.TEMPLATE, stack_name: str = STACK_NAME
) -> dict[str, Any]:
    """The CloudFormation template the SAM transform makes of ours, with these parameter values, for a
    stack of this name."""
    document = _packaged(template.load(path))
    values: dict[str, Any] = {
        name: spec["Default"] for name, spec in document.get("Parameters", {}).items() if "Default" in spec
    }
    values |= REQUIRED | (parameters or {}) | pseudo_parameters(stack_name)
    logging.getLogger("samtranslator").setLevel(logging.ERROR)  # notes on its own feature toggles
    translator = Translator(None, Parser(), boto_session=boto3.session.Session(region_name=REGION))
    result: dict[str, Any] = translator.translate(
        sam_template=document, parameter_values=values, get_managed_policy_map=dict
    )
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--parameter", action="append", default=[], metavar="NAME=VALUE")
    parser.add_argument("--output", type=Path)
    args = parser.parse_args(argv)
    parameters = dict(p.split("=", 1) for p in args.parameter)
    text = json.dumps(transformed(parameters), indent=1, sort_keys=True)
    if args.output:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text + "\n", encoding="utf-8")
    else:
        sys.stdout.write(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
