"""The single-table key design, in one place. docs/architecture.md § Data model explains it.

| item                 | PK                   | SK                          | GSI1PK / GSI1SK                 | GSI2PK / GSI2SK           |
|----------------------|----------------------|-----------------------------|---------------------------------|---------------------------|
| application + rights | APP#{id}             | #APP                        |                                 |                           |
| right                | RIGHT#{code}         | #RIGHT                      |                                 |                           |
| rights of a group    | RIGHTS#{dg}          | #RIGHTS                     |                                 |                           |
| organisation         | ORG#{code}           | #ORG                        |                                 |                           |
| … its counts         | ORG#{code}           | #COUNTS                     |                                 |                           |
| counted stream record| COUNTED#{event id}   | #COUNTED                    |                                 |                           |
| local administrator  | ORG#{code}           | ADMIN#{sub}                 | PERSON#{sub} / ADMIN#{code}     | EMAIL#{address} / ADMIN#{code}#{sub} |
| work relationship    | WORKREL#{id}         | #WORKREL                    | PERSON#{sub} / WORKREL#{id}     |                           |
| … its active slot    | PERSON#{sub}         | WORKREL#{org}               | ORG#{org} / WORKREL#{sub}       |                           |
| grant                | GRANT#{id}           | #GRANT                      | PERSON#{sub} / GRANT#{id}       |                           |
|   (GSI3: HOLDERS#{org}#{right}#{active|ended} / {context}#{folded name}#{sub}#{id}: who holds a right) |
| … its active slot    | PERSON#{sub}         | GRANT#{org}#{right}#{ctx}   |                                 | APPGRANTS#{an} / {org}#{sub}#{right}#{ctx} |
| … each change of it  | APPCHANGES#{an}      | {changedAt}#{id}            |                                 |                           |
| machine client       | CLIENT#{id}          | #CLIENT                     |                                 |                           |

A pending request and a held grant's record also carry GSI2 keys `DUE#{day}` / `{due}#{kind}#{id}`:
their next lifecycle step, found by day (`due`).
| member (people list) | MEMBERS#{org}        | {name, folded}#{sub}        |                                 |                           |
| … a start of a word of its name | NAMES#{org} | {folded name from that word}#{sub} |                         |                           |
| request              | REQUEST#{id}         | #REQUEST                    | PERSON#{sub} / REQUEST#{id}     |                           |
| task of an org       | TASKS#{org}#{bucket} | {id}                        |                                 |                           |
| task of an admin     | INBOX#{sub}#{bucket} | {id}                        |                                 |                           |
| audit entry          | ORG#{code}           | AUDIT#{at}#{id}             | PERSON#{sub} / AUDIT#{at}#{id}  | ACTOR#{sub} / AUDIT#{at}#{id} |
| pending guard        | PENDING#{hash}       | #PENDING                    |                                 |                           |
| idempotency record   | IDEMPOTENCY#{hash}   | #IDEMPOTENCY                |                                 |                           |
| mail sent            | MAIL#{hash}          | #MAIL                       |                                 |                           |
| hand-over of tasks   | HANDOVER#{org}#{sub} | #HANDOVER                   |                                 |                           |
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from zelfregistratie.domain.entities import RequestStatus

ORG_META = "#ORG"
APP_META = "#APP"
RIGHT_META = "#RIGHT"
REQUEST_META = "#REQUEST"
PENDING_META = "#PENDING"
ADMIN_PREFIX = "ADMIN#"
REQUEST_PREFIX = "REQUEST#"
WORKREL_PREFIX = "WORKREL#"
GRANT_PREFIX = "GRANT#"
AUDIT_PREFIX = "AUDIT#"
MEMBERS_PREFIX = "MEMBERS#"
# Upper bound of an organisation's "meta + administrators" range ('$' sorts right after '#').
ADMIN_RANGE_END = "ADMIN$"

Key = dict[str, str]


def application(app_id: int) -> Key:
    return {"PK": f"APP#{app_id}", "SK": APP_META}


def right(code: str) -> Key:
    return {"PK": f"RIGHT#{code}", "SK": RIGHT_META}


def target_group_rights(target_group: str) -> Key:
    """Every right of a target group, in one item (written by the loader)."""
    return {"PK": f"RIGHTS#{target_group}", "SK": "#RIGHTS"}


def organization(code: str) -> Key:
    return {"PK": f"ORG#{code}", "SK": ORG_META}


def organization_partition(code: str) -> str:
    return f"ORG#{code}"


def organization_counts(code: str) -> Key:
    """Its people, active grants and open tasks, kept from the stream ('#C' sorts before '#ORG')."""
    return {"PK": f"ORG#{code}", "SK": "#COUNTS"}


def counted(event_id: str) -> Key:
    """A stream record whose change to an organisation's counts was added: added once."""
    return {"PK": f"COUNTED#{event_id}", "SK": "#COUNTED"}


def local_admin(org: str, sub: str) -> Key:
    return {"PK": f"ORG#{org}", "SK": f"{ADMIN_PREFIX}{sub}"}


def local_admin_index(org: str, sub: str) -> Key:
    return {"GSI1PK": person_partition(sub), "GSI1SK": f"{ADMIN_PREFIX}{org}"}


def local_admin_address(email: str, org: str, sub: str) -> Key:
    """An administrator under their address (GSI2): what SES's bounces and complaints name."""
    return {"GSI2PK": address_partition(email), "GSI2SK": f"{ADMIN_PREFIX}{org}#{sub}"}


def address_partition(email: str) -> str:
    return f"EMAIL#{email.strip().lower()}"


def person_partition(sub: str) -> str:
    return f"PERSON#{sub}"


def work_relationship(sub: str, org: str) -> Key:
    return {"PK": person_partition(sub), "SK": f"{WORKREL_PREFIX}{org}"}


def work_relationship_index(sub: str, org: str) -> Key:
    return {"GSI1PK": f"ORG#{org}", "GSI1SK": f"{WORKREL_PREFIX}{sub}"}


def grant(sub: str, org: str, right_code: str, context: str | None) -> Key:
    """The slot of the person's active grant of a right there: present while it is held."""
    return {"PK": person_partition(sub), "SK": f"{GRANT_PREFIX}{org}#{right_code}#{context or ''}"}


def application_grant_index(
    application_id: int, org: str, sub: str, right_code: str, context: str | None
) -> Key:
    """An active grant under its application (GSI2 of its slot), by organisation and person."""
    return {
        "GSI2PK": application_grants_partition(application_id),
        "GSI2SK": f"{org}#{sub}#{right_code}#{context or ''}",
    }


def application_grants_partition(application_id: int) -> str:
    return f"APPGRANTS#{application_id}"


HELD, ENDED = "active", "ended"  # the holders index's two partitions of a right at an organisation


def holders_index(
    org: str, right_code: str, bucket: str, context: str | None, name: str, sub: str, grant_id: str
) -> Key:
    """A grant's record in the holders index (GSI3): by organisation, right and whether it is held; in
    it by context, then the holder's folded name."""
    return {
        "GSI3PK": holders_partition(org, right_code, bucket),
        "GSI3SK": f"{context or ''}#{name}#{sub}#{grant_id}",
    }


def holders_partition(org: str, right_code: str, bucket: str) -> str:
    return f"HOLDERS#{org}#{right_code}#{bucket}"


def grant_change(application_id: int, at: datetime, grant_id: str) -> Key:
    """One change of a grant, in its application's change index, oldest first."""
    return {"PK": grant_changes_partition(application_id), "SK": f"{instant(at)}#{grant_id}"}


def grant_changes_partition(application_id: int) -> str:
    return f"APPCHANGES#{application_id}"


def instant(at: datetime) -> str:
    """An instant as a sort key: UTC, fixed width, so that text order is time order."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def due(at: datetime, kind: str, item_id: str) -> Key:
    """The next lifecycle step of a request or grant (GSI2), in the bucket of its UTC day."""
    return {"GSI2PK": due_partition(at), "GSI2SK": f"{instant(at)}#{kind}#{item_id}"}


def due_partition(at: datetime) -> str:
    return f"DUE#{at.astimezone(UTC).date().isoformat()}"


def machine_client(client_id: str) -> Key:
    return {"PK": f"CLIENT#{client_id}", "SK": "#CLIENT"}


def grant_record(grant_id: str) -> Key:
    return {"PK": f"{GRANT_PREFIX}{grant_id}", "SK": "#GRANT"}


def work_relationship_record(relationship_id: str) -> Key:
    return {"PK": f"{WORKREL_PREFIX}{relationship_id}", "SK": "#WORKREL"}


def person_history_index(sub: str, sort: str) -> Key:
    """A person's grants, work relationships and audit entries, ended ones too (the export)."""
    return {"GSI1PK": person_partition(sub), "GSI1SK": sort}


def member(org: str, folded_name: str, sub: str) -> Key:
    """A person in an organisation's people list, in order of name."""
    return {"PK": f"{MEMBERS_PREFIX}{org}", "SK": f"{folded_name}#{sub}"}


def members_partition(org: str) -> str:
    return f"{MEMBERS_PREFIX}{org}"


def member_in(org: str, sort_key: str) -> Key:
    """A line of the people list by its sort key (what a name entry points to)."""
    return {"PK": members_partition(org), "SK": sort_key}


def name_entry(org: str, start: str, sub: str) -> Key:
    """One start of a word of a person's folded name, in the organisation's name index."""
    return {"PK": names_partition(org), "SK": f"{start}#{sub}"}


def names_partition(org: str) -> str:
    return f"NAMES#{org}"


def request(request_id: str) -> Key:
    return {"PK": f"REQUEST#{request_id}", "SK": REQUEST_META}


def undelivered(request_id: str) -> Key:
    """Which of a filing's administrator mails did not arrive (docs/unreachable-administrators.md), beside the request."""
    return {"PK": f"REQUEST#{request_id}", "SK": "#UNDELIVERED"}


def request_owner_index(sub: str, request_id: str) -> Key:
    return {"GSI1PK": person_partition(sub), "GSI1SK": f"{REQUEST_PREFIX}{request_id}"}


def task_bucket(status: RequestStatus | str) -> str:
    """A pending request is an open task; every other status (or "closed") is a closed one."""
    return "open" if status in (RequestStatus.PENDING, "open") else "closed"


def task_partition(org: str, status: RequestStatus | str) -> str:
    """An organisation's tasks of one bucket, newest first: what an appointment copies from."""
    return f"TASKS#{org}#{task_bucket(status)}"


def org_task(org: str, status: RequestStatus | str, request_id: str) -> Key:
    return {"PK": task_partition(org, status), "SK": request_id}


def inbox_partition(sub: str, status: RequestStatus | str) -> str:
    """An administrator's tasks of one bucket over every organisation they serve, newest first."""
    return f"INBOX#{sub}#{task_bucket(status)}"


def inbox_task(sub: str, status: RequestStatus | str, request_id: str) -> Key:
    return {"PK": inbox_partition(sub, status), "SK": request_id}


def handover(org: str, sub: str) -> Key:
    """The tasks of `org` being handed to (or taken from) `sub`, step by step: where the walk is."""
    return {"PK": f"HANDOVER#{org}#{sub}", "SK": "#HANDOVER"}


def pending_guard(sub: str, org: str, right_code: str | None, context: str | None) -> Key:
    """One pending request per person × organisation × right × context.

    Hashed, so free text in a context or a subject cannot make two different tuples collide.
    """
    digest = hashlib.sha256(json.dumps([sub, org, right_code, context]).encode()).hexdigest()
    return {"PK": f"PENDING#{digest}", "SK": PENDING_META}


def idempotency(caller: str, key: str) -> Key:
    """Idempotency keys are per caller: the same key from two people is two keys."""
    digest = hashlib.sha256(json.dumps([caller, key]).encode()).hexdigest()
    return {"PK": f"IDEMPOTENCY#{digest}", "SK": "#IDEMPOTENCY"}


def mail(event_id: str, kind: str, recipient: str) -> Key:
    """One mail of one stream record to one recipient: sent once, however often the record arrives."""
    digest = hashlib.sha256(json.dumps([event_id, kind, recipient.lower()]).encode()).hexdigest()
    return {"PK": f"MAIL#{digest}", "SK": "#MAIL"}


def audit(org: str, at: str, entry_id: str) -> Key:
    """After the organisation's administrators in its partition ('AU' sorts after 'AD')."""
    return {"PK": f"ORG#{org}", "SK": f"{AUDIT_PREFIX}{at}#{entry_id}"}


def audit_indexes(person: str, actor: str, at: str, entry_id: str) -> Key:
    """The entry under the person it is about (GSI1) and the person who made it (GSI2)."""
    sort = f"{AUDIT_PREFIX}{at}#{entry_id}"
    return {"GSI1PK": person_partition(person), "GSI1SK": sort, "GSI2PK": f"ACTOR#{actor}", "GSI2SK": sort}
