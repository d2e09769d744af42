"""`make run`: the whole system on one machine — no AWS account, no Docker.

moto stands in for DynamoDB, DynamoDB Streams and SES inside this process; the real handlers run
behind a gateway routed from template.yaml; a poller feeds the stream to notify; a development
OpenID provider signs people in. Data lives in memory: every start begins from the demo data.
"""

from __future__ import annotations

import time

STARTED = time.perf_counter()  # before the heavy imports: "ready in" counts them

import argparse  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import mimetypes  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import threading  # noqa: E402
import warnings  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from datetime import timedelta  # noqa: E402
from pathlib import Path  # noqa: E402
from typing import Any, cast  # noqa: E402

REGION = "eu-west-1"
# Before boto3 or moto are imported: fake credentials, and no account-based endpoints (moto's
# DynamoDB Streams calls fail with them).
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_SESSION_TOKEN": "local",
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCOUNT_ID_ENDPOINT_MODE": "disabled",
        "POWERTOOLS_METRICS_DISABLED": "true",
    }
)

import boto3  # noqa: E402
from botocore import UNSIGNED  # noqa: E402
from botocore.config import Config  # noqa: E402
from joserfc.jwk import KeySet  # noqa: E402
from moto import mock_aws  # noqa: E402
from moto.core.models import DEFAULT_ACCOUNT_ID  # noqa: E402
from moto.events.models import EventPattern  # noqa: E402
from swagger_ui_bundle import swagger_ui_path  # noqa: E402
from werkzeug.exceptions import NotFound  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402
from werkzeug.utils import send_from_directory  # noqa: E402
from werkzeug.wrappers import Request, Response  # noqa: E402

from devstack import gateway, ses_simulator, template  # noqa: E402
from devstack.clock import DevelopmentClock  # noqa: E402
from devstack.events import EventLog  # noqa: E402
from devstack.idp import CLIENT_ID, DevIdentityProvider, load_or_create_key, machine_clients, render_page  # noqa: E402
from devstack.moto_atomic import faithful_moto, trim_stream  # noqa: E402
from devstack.outbox import Outbox  # noqa: E402
from devstack.poller import StreamPoller  # noqa: E402
from devstack.ses_setup import set_up_ses  # noqa: E402
from ops import load_data, pages, replay_failed, streams  # noqa: E402
from zelfregistratie import aws  # noqa: E402
from zelfregistratie.domain import clock  # noqa: E402
from zelfregistratie.store.store import Store  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "web"
STACK_NAME = template.stack_name("local")
TABLE_NAME = STACK_NAME
SENDER = "no-reply@zelfregistratie.local"
# CloudFormation names the stack's configuration set itself; here it takes the stack's name.
CONFIGURATION_SET = STACK_NAME
FAILURE_QUEUE = f"{STACK_NAME}-notify-failures"
AWS_ENDPOINT = "/dev/aws"
SETTLE_TIMEOUT = 25.0  # seconds: /dev/settled answers `false` if the stream is still busy then


@dataclass
class Options:
    host: str
    port: int
    base_url: str
    data: Path
    idp_key: Path | None
    fd: int | None = None  # a socket already listening on `port`, opened by whoever started the stack


def parse(argv: list[str] | None) -> Options:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    parser.add_argument("--base-url", default=os.environ.get("PUBLIC_BASE_URL"))
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "demo.yaml")
    parser.add_argument(
        "--idp-key",
        type=Path,
        default=ROOT / ".local" / "dev-idp-key.json",
        help="signing key of the development OpenID provider (kept, so tokens survive a restart)",
    )
    parser.add_argument(
        "--fd",
        type=int,
        help="serve on this listening socket (a file descriptor) instead of opening one: connections wait "
        "in its backlog until the stack is ready (the stack tests start it so)",
    )
    args = parser.parse_args(argv)
    base_url = (args.base_url or f"http://{args.host}:{args.port}").rstrip("/")
    return Options(args.host, args.port, base_url, args.data, args.idp_key, args.fd)


class LocalStack:
    """Everything `make run` serves, as one WSGI application."""

    def __init__(self, options: Options) -> None:
        self.options = options
        faithful_moto()
        # moto checks no signature: the functions' clients send their requests unsigned here (a
        # difference from AWS nobody can see, docs/local-stack.md), which spares a fifth of a call's cost
        aws.SESSION.set_default_client_config(Config(signature_version=UNSIGNED))
        self._mock = mock_aws()
        self._mock.start()
        dynamodb = self.dynamodb = boto3.client("dynamodb")
        stream_arn = template.create_table(dynamodb, TABLE_NAME)
        set_up_ses(boto3.client("sesv2"), SENDER, CONFIGURATION_SET, REGION, DEFAULT_ACCOUNT_ID)
        event_bus = template.create_event_bus(boto3.client("events"), "local")
        self.data = load_data.read(options.data)
        loaded = Store.connect(TABLE_NAME, dynamodb)
        load_data.write(loaded, self.data)
        # The poller starts after the demo (as `StartingPosition: LATEST`): its counts, from the table.
        for organization in self.data.organizations:
            loaded.counts.recount(organization.code, clock.today().isoformat())

        references = {
            "Table": TABLE_NAME,
            "Environment": "local",
            "SesSenderIdentity": SENDER,
            "MailConfigurationSet": CONFIGURATION_SET,
            "EventBus": event_bus,
            "AWS::StackName": STACK_NAME,
        }
        # What the SES feedback rule lets through to ses_feedback: this stack's mails' events only.
        self.feedback_rule = EventPattern(
            None, template.event_rule_pattern("SesFeedbackFunction", "Feedback", references)
        )
        # In AWS the distribution's domain or DomainName; here the stack's own address.
        self.functions = gateway.functions_from_template(references, {"PUBLIC_BASE_URL": options.base_url})
        gateway.load_handlers(self.functions, os.environ)

        # Where the mails to each administrator go: one address per organisation they administer.
        admin_emails: dict[str, list[str]] = {}
        for organization in self.data.organizations:
            for admin in organization.local_admins:
                if admin.email:
                    admin_emails.setdefault(admin.person, []).append(f"{admin.email} ({organization.code})")
        self.idp = DevIdentityProvider(
            options.base_url,
            self.data.personas,
            load_or_create_key(options.idp_key),
            clients=machine_clients(self.data.clients),
        )
        self.idp.admin_emails.update(admin_emails)
        verifier = gateway.TokenVerifier(
            issuer=self.idp.issuer, audience=CLIENT_ID, keys=lambda: KeySet.import_key_set(self.idp.jwks)
        )
        self.gateway = gateway.Gateway(gateway.routes_from_template(), self.functions, verifier)
        # CloudFront's response headers policies, from the template: the same headers as in AWS.
        issuer_host = self.idp.issuer.split("/")[2]
        self.page_headers = template.response_headers("PagesHeadersPolicy", {"IssuerHost": issuer_host})
        self.pages = pages.ServedPages(STATIC)
        self.api_headers = template.response_headers("ApiHeadersPolicy", {})
        self.outbox = Outbox(REGION)
        self.events = EventLog(REGION, archive=event_bus)
        self.mapping = template.resource("NotifyStreamMapping")["Properties"]
        # The mapping's on-failure destination: pointers to the records it gave up on, as in AWS.
        self.sqs = boto3.client("sqs")
        self.failure_queue = template.create_failure_queue(self.sqs, FAILURE_QUEUE)
        self.notify = self.functions[template.function_of(self.mapping)]
        self.poller = StreamPoller.from_template(
            self.mapping,
            streams_client=boto3.client("dynamodbstreams"),
            stream_arn=stream_arn,
            function=self.notify,
            after_batch=self._after_batch,
            on_failure=lambda pointer: self.sqs.send_message(
                QueueUrl=self.failure_queue, MessageBody=json.dumps(pointer)
            ),
            on_read=self._trim_stream,
        )
        self.poller.skip_existing()
        self._aws: Any = None  # moto's own server application, made on first use
        self._clock_lock = threading.Lock()
        self.clock = DevelopmentClock().install()
        self._schedule_stop = threading.Event()

    def close(self) -> None:
        """Stop the poller. The in-memory AWS goes with the process: resetting moto would only delay exit."""
        self._schedule_stop.set()
        self.poller.stop(timeout=0.5)

    def start_schedule(self) -> None:
        """The timers' schedule from the template (`rate(1 hour)`), as EventBridge Scheduler runs it."""
        events = template.resource("TimersFunction")["Properties"]["Events"].values()
        [expression] = [e["Properties"]["ScheduleExpression"] for e in events if e["Type"] == "ScheduleV2"]
        seconds = schedule_seconds(expression)

        def run() -> None:
            while not self._schedule_stop.wait(seconds):
                with self._clock_lock:
                    self.functions["TimersFunction"].invoke({})

        threading.Thread(target=run, name="timers-schedule", daemon=True).start()

    # ---- WSGI ------------------------------------------------------------------------------------

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        if str(environ.get("PATH_INFO", "")).startswith(f"{AWS_ENDPOINT}/"):
            return self._aws_endpoint(environ, start_response)
        return self.route(Request(environ))(environ, start_response)

    def _aws_endpoint(self, environ: dict[str, Any], start_response: Any) -> Any:
        """This stack's moto as AWS's endpoints answer (`endpoint_url={base}/dev/aws`), for tools that run
        beside it against it, such as `make preflight LOCAL=…`. The service and region come from the
        request's signature, as moto's own server reads them."""
        if self._aws is None:
            from moto.moto_server.werkzeug_app import DomainDispatcherApplication, create_backend_app

            self._aws = DomainDispatcherApplication(create_backend_app)
        inner = {
            **environ,
            "PATH_INFO": str(environ["PATH_INFO"]).removeprefix(AWS_ENDPOINT),
            "RAW_URI": str(environ.get("RAW_URI", "")).removeprefix(AWS_ENDPOINT),  # moto reads it
            "REQUEST_URI": str(environ.get("REQUEST_URI", "")).removeprefix(AWS_ENDPOINT),
        }
        return self._aws(inner, start_response)

    def route(self, request: Request) -> Response:
        path = request.path
        if path.startswith("/dev/") and request.method == "POST" and request.mimetype != "application/json":
            return _problem(415, "unsupported_media_type", "Stuur JSON (Content-Type: application/json).")
        if path.startswith("/api/"):
            return _with_headers(self.gateway.handle(request), self.api_headers)
        if path.startswith("/dev-idp/"):
            return self.idp.handle(request)
        if path in ("/dev/outbox", "/dev/outbox/"):
            return self._page("outbox.html", mails=self.outbox.mails())
        if path == "/dev/outbox.json":
            return _json([mail.as_json() for mail in self.outbox.mails()])
        if path == "/dev/clock":
            return self._clock(request)
        if path in ("/dev/events", "/dev/events/"):
            return self._page("events.html", events=self.events.events())
        if path == "/dev/events.json":
            return _json([event.as_json() for event in self.events.events()])
        if path == "/dev/settled":  # answers once the stream is quiet: what was written has had its effects
            return _json({"settled": self.poller.wait_quiet(timeout=SETTLE_TIMEOUT)})
        if path == "/dev/table.json":  # how much is stored: for tests that prove nothing was
            table = self.dynamodb.describe_table(TableName=TABLE_NAME)["Table"]
            return _json({"name": TABLE_NAME, "items": table["ItemCount"]})
        if path == "/dev/dead-letters":
            return self._page(
                "dead_letters.html", letters=self._failure_queue(), base_url=self.options.base_url
            )
        if path == "/dev/dead-letters.json":
            return _json(self._failure_queue())
        if path == "/dev/replay" and request.method == "POST":  # ops/replay_failed.py --local
            return _json(self.replay(drop_expired=request.args.get("drop_expired") == "true").as_json())
        if path in ("/dev/api-docs", "/api-docs"):
            return self._page("api_docs.html")
        if (
            path == "/dev/deployment.json"
        ):  # what `make preflight --local` checks: as a deployment's parameters
            return _json(
                {
                    "region": REGION,
                    "sender": SENDER,
                    "configurationSet": CONFIGURATION_SET,
                    "issuer": self.idp.issuer,
                }
            )
        if path == "/config.json":  # as ops/deploy_pages.py writes it, cached as long
            config = _json(
                {"issuer": self.idp.issuer, "clientId": CLIENT_ID, "publicBaseUrl": self.options.base_url}
            )
            config.headers["Cache-Control"] = pages.CONFIG_CACHE
            return config
        if path.startswith("/dev/swagger-ui/"):
            return _file(swagger_ui_path, path.removeprefix("/dev/swagger-ui/"), request.environ)
        if STATIC.is_dir():
            served = _page_for(path, template.page_routes())
            built = self.pages.current()
            if served == path and "." not in path.rsplit("/", 1)[-1]:
                # a page address nobody serves: CloudFront's function serves the page that says so
                page = _built(built.get(template.not_found_page().lstrip("/")), request)
                page.status_code = 404
            else:
                page = _built(built.get(served.lstrip("/")), request)
            return _with_headers(page, self.page_headers)
        return _not_found()

    def _trim_stream(self, read_up_to: int) -> None:
        """The poller is the stream's one consumer here: what it read may go, but for the newest."""
        from moto.dynamodb.models import dynamodb_backends

        shard = dynamodb_backends[DEFAULT_ACCOUNT_ID][REGION].get_table(TABLE_NAME).stream_shard
        if shard is not None:
            trim_stream(shard, read_up_to)

    def replay(self, *, drop_expired: bool) -> replay_failed.Report:
        """The failure queue replayed to notify, by the code ops run against AWS."""
        report = replay_failed.replay(
            self.sqs,
            self.failure_queue,
            self.poller.streams_client,
            lambda event: self.notify.invoke(event),
            streams.filter_patterns(self.mapping),
            drop_expired=drop_expired,
        )
        self._after_batch()
        return report

    def _clock(self, request: Request) -> Response:
        """The development clock (docs/local-stack.md): `GET` → `{"now"}`; `POST {"advance": "P8D"}` moves
        business time forward and answers once everything that fell due has run."""
        if request.method == "POST":
            try:
                body = json.loads(request.get_data() or b"{}")
                delta = parse_duration(str(body.get("advance", "")))
            except (ValueError, AttributeError):
                return _problem(400, "invalid_input", CLOCK_WANTED)
            self.advance_clock(delta)
        return _json({"now": clock.isoformat(clock.now())})

    def advance_clock(self, delta: timedelta) -> None:
        """A day at a time, as the hourly schedule would have met each step within a day: the timers
        run (again while they find work), then what DynamoDB's TTL would delete goes, and the poller
        catches up so that the mails are in the outbox."""
        timers = self.functions["TimersFunction"]
        with self._clock_lock:
            remaining = delta
            while remaining > timedelta(0):
                step = min(remaining, timedelta(days=1))
                self.clock.advance(step)
                remaining -= step
                while sum(n for k, n in timers.invoke({}).items() if k != "skipped"):
                    pass
            self._time_to_live()
            self.poller.wait_quiet(timeout=25)
            self._after_batch()

    def _time_to_live(self) -> None:
        """What DynamoDB's TTL deletes (moto never does): items whose `ttl` passed, as a REMOVE in the
        stream like AWS's own deletions. A Scan, here only: AWS's TTL process is its own."""
        now = int(clock.now().timestamp())
        pages = self.dynamodb.get_paginator("scan").paginate(
            TableName=TABLE_NAME,
            FilterExpression="#ttl <= :now",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={":now": {"N": str(now)}},
            ProjectionExpression="PK, SK",
        )
        for page in pages:
            for key in page["Items"]:
                self.dynamodb.delete_item(TableName=TABLE_NAME, Key=key)

    def _after_batch(self) -> None:
        """After notify ran: the outbox and the events read up, and the mailbox simulator's addresses
        answer as SES does, through the handler SES's events reach in AWS."""
        for mail in self.outbox.refresh():
            for recipient in mail.to:
                event = ses_simulator.feedback_for(recipient, mail.id, SENDER, tags=mail.tags)
                if event is not None and self.feedback_rule.matches_event(cast(Any, event)):
                    self.functions["SesFeedbackFunction"].invoke(event)
        self.events.refresh()

    def _failure_queue(self) -> list[dict[str, Any]]:
        """The pointers in the failure queue, read without receiving them (moto's own queue)."""
        from moto.sqs.models import sqs_backends

        queue = sqs_backends[DEFAULT_ACCOUNT_ID][REGION].get_queue(FAILURE_QUEUE)
        return [json.loads(message.body) for message in queue._messages]

    def _page(self, name: str, **context: Any) -> Response:
        return render_page(name, 200, **context)

    def banner(self) -> str:
        base = self.options.base_url
        lines = [
            f"Zelfregistratie runs on {base}  (Ctrl-C stops it; data lives in memory, from the demo set)",
            "",
            f"  Request a right (deep link)   {base}/user/aanvraag?&an=45&dg=EA&oc=0428364866",
            f"  Request a work relationship   {base}/user/aanvraag_werkrelatie?dg=EA&oc=0428364866",
            f"  An administrator's home       {base}/beheer",
            f"  Task list of an administrator {base}/beheer/taken",
            f"  Administrators of my orgs     {base}/beheer/organisatie",
            f"  Outbox (every mail sent)      {base}/dev/outbox",
            f"  Events (every one published)  {base}/dev/events",
            f'  Development clock             {base}/dev/clock  (POST {{"advance": "P8D"}})',
            f"  Machine clients (grants API)  {self.idp.issuer}/clients",
            f"  Dead letters                  {base}/dev/dead-letters",
            f"  API documentation             {base}/dev/api-docs",
            f"  OpenID discovery              {self.idp.issuer}/.well-known/openid-configuration",
            "",
            "  Personas (sign in by picking one, or add &login_hint=<id> to the authorize URL):",
        ]
        for persona in self.data.personas:
            lines.append(
                f"    {persona.id:<18} {persona.given_name} {persona.family_name}: {persona.description}"
            )
        return "\n".join(lines)


def _page_for(path: str, routes: dict[str, str]) -> str:
    """The file behind a path, as the template's CloudFront Function maps it; else the path as-is."""
    if path in routes:
        return routes[path]
    for pattern, target in routes.items():
        prefix = pattern[:-1]
        if pattern.endswith("/*") and path.startswith(prefix) and len(path) > len(prefix):
            return target
    return path


def _built(file: pages.Built | None, request: Request) -> Response:
    """One built file, as S3 behind CloudFront answers it: its type, its cache header, an ETag."""
    if file is None:
        return _not_found()
    content_type = mimetypes.guess_type(file.key)[0] or "application/octet-stream"
    response = Response(file.body, mimetype=content_type, headers={"Cache-Control": file.cache_control})
    response.set_etag(hashlib.sha256(file.body).hexdigest()[:32])
    return response.make_conditional(request)


def _file(directory: str | Path, name: str, environ: dict[str, Any]) -> Response:
    try:
        return send_from_directory(directory, name, environ)
    except NotFound:
        return _not_found()


def _not_found() -> Response:
    return Response("Niet gevonden.", status=404, mimetype="text/plain")


def _with_headers(response: Response, headers: dict[str, str]) -> Response:
    """As a response headers policy with `Override: true` adds them."""
    response.headers.update(headers)
    return response


def _problem(status: int, code: str, detail: str) -> Response:
    """A refusal of the development routes, in the shape the API answers with (problem+json)."""
    body = {"type": "about:blank", "title": detail, "status": status, "code": code, "detail": detail}
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype="application/problem+json")


def _json(body: Any, status: int = 200) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, default=str), status=status, mimetype="application/json"
    )


def main(argv: list[str] | None = None) -> int:
    options = parse(argv)
    # Handlers that publish no metric still flush; powertools warns each time.
    warnings.filterwarnings("ignore", "No application metrics to publish")
    stack = LocalStack(options)
    try:
        server = make_server(options.host, options.port, stack, threaded=True, fd=options.fd)
    except OSError as exc:
        print(f"Cannot listen on {options.host}:{options.port}: {exc.strerror}. Try PORT=8001 make run.")
        return 1

    # Ctrl-C and process managers stop it; set explicitly, since a shell that starts a background job
    # hands it SIGINT ignored. The handler asks the server to stop rather than raising: Python runs it
    # in the main thread wherever that thread is, and an exception raised inside the server's
    # accepting a connection (in a lock's wait) came out as an error the server took for a failed
    # request, and served on (tests/stack/test_stop.py). `shutdown` waits for the serving loop, which
    # runs on this thread, so it is called from another.
    def stop(*_: object) -> None:
        threading.Thread(target=server.shutdown, name="stop", daemon=True).start()

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    stack.poller.start()
    stack.start_schedule()
    print(stack.banner(), flush=True)
    print(f"\nready in {time.perf_counter() - STARTED:.1f} s", flush=True)
    try:
        server.serve_forever(poll_interval=0.2)
        print("\nstopping…", flush=True)
    finally:
        server.server_close()
        stack.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())


_RATE = re.compile(r"rate\((\d+) (minute|minutes|hour|hours|day|days)\)")


def schedule_seconds(expression: str) -> int:
    """A `rate(...)` schedule expression in seconds (the template uses no cron)."""
    found = _RATE.fullmatch(expression)
    if found is None:
        raise ValueError(f"schedule not supported locally: {expression}")
    unit = {"minute": 60, "hour": 3600, "day": 86400}[found.group(2).rstrip("s")]
    return int(found.group(1)) * unit


_DURATION = re.compile(r"P(?:([0-9]{1,9})D)?(?:T([0-9]{1,9})H)?")
CLOCK_MOST = timedelta(days=3660)  # ten years: every period of the lifecycle, and the retention, fit
CLOCK_WANTED = "Geef advance als ISO 8601-duur in dagen en/of uren, hoogstens 3660 dagen, bv. P8D of PT6H."


def parse_duration(text: str) -> timedelta:
    """An ISO 8601 duration of days and/or hours (`P8D`, `PT6H`, `P1DT12H`), at most ten years; nothing
    else (the clock steps a day at a time, so a longer one would hold the stack for hours)."""
    found = _DURATION.fullmatch(text)
    if found is None or not any(found.groups()) or text.endswith("T"):
        raise ValueError(text)
    days, hours = (int(g or 0) for g in found.groups())
    if days * 24 + hours > CLOCK_MOST / timedelta(hours=1):
        raise ValueError(text)
    return timedelta(days=days, hours=hours)
