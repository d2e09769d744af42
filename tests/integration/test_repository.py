"""The store against moto, on the table built from template.yaml: round trips, access patterns,
and conditional writes that refuse illegal state changes."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from ops.load_data import DataSet
from tests.conftest import Table
from tests.factories import (
    ELS,
    NOW,
    SOFIE,
    TODAY,
    a_grant,
    a_request,
    an_approval,
    cancelled_in,
    decided_in,
    hold,
)
from zelfregistratie.domain.entities import AdminRole, LocalAdmin, Lookup, Outcome, RequestStatus
from zelfregistratie.domain.errors import (
    AlreadyDecided,
    AlreadyGranted,
    DuplicatePending,
    InvalidCursor,
    NotFound,
)
from zelfregistratie.domain.requests import Decision
from zelfregistratie.domain.rights import Grant, WorkRelationship
from zelfregistratie.store.requests import Effects, RelationshipAppeared
from zelfregistratie.store.store import Store

# ---- catalog and organisations ------------------------------------------------------------------


def test_an_application_comes_back_with_all_its_rights(store: Store, demo: DataSet) -> None:
    found = store.catalog.lookup(application=45)
    assert found.application is not None and found.application.name == "Dimona Mandaat"
    assert {r.code for r in found.application_rights} == {
        "DIMONA_MANDAAT_BEHEERDER",
        "DIMONA_MANDAAT_RAADPLEGER",
        "DIMONA_MANDAAT_LOKAAL",
    }
    assert all(r.application_name == "Dimona Mandaat" for r in found.application_rights)


def test_one_lookup_reads_application_right_and_organisation_together(store: Store, demo: DataSet) -> None:
    found = store.catalog.lookup(
        application=1203, right="DIMONA_MANDAAT_BEHEERDER", organization="0418825808"
    )
    assert found.application is not None and found.application.id == 1203
    assert found.right is not None and found.right.application_id == 45
    assert found.organization is not None and found.organization.name == "Duikschool Atlantis Demo"
    assert store.catalog.lookup() == Lookup()


def test_the_organisation_knows_how_many_administrators_are_reachable(store: Store, demo: DataSet) -> None:
    for code in ["0428364866", "0415327175", "0418825808", "OVO000123"]:
        found = store.catalog.organization_with_admins(code)
        assert found.organization is not None
        assert found.organization.reachable_admins == len(found.reachable_admins)


def test_a_right_round_trips_with_its_contexts_and_target_groups(store: Store, demo: DataSet) -> None:
    right = store.catalog.lookup(right="DWSE_ORG_MEDEWERKER").right
    assert right is not None
    assert right.contexts == ("Lokale diensteneconomie", "Sociale werkplaats")
    assert right.target_groups == {"EA", "LB"}
    assert right.validity_months == 24
    assert store.catalog.lookup(right="ONBEKEND").right is None


def test_an_unknown_application_has_no_rights(store: Store, demo: DataSet) -> None:
    assert store.catalog.lookup(application=999, right="ONBEKEND", organization="0123456749") == Lookup()


def test_an_organisation_comes_with_its_administrators(store: Store, demo: DataSet) -> None:
    found = store.catalog.organization_with_admins("0428364866")
    assert found.organization is not None and found.organization.name == "Bakkerij De Zonnebloem BV"
    assert {(a.name, a.role) for a in found.admins} == {
        ("Els Wouters", AdminRole.HEAD),
        ("Tom Jacobs", AdminRole.LOCAL),
    }
    assert found.can_receive_requests


def test_an_organisation_whose_administrators_have_no_email_cannot_receive_requests(
    store: Store, demo: DataSet
) -> None:
    found = store.catalog.organization_with_admins("0418825808")
    assert found.organization is not None and len(found.admins) == 1
    assert not found.can_receive_requests


def test_an_unknown_organisation_cannot_receive_requests(store: Store, demo: DataSet) -> None:
    found = store.catalog.organization_with_admins("0123456749")
    assert found.organization is None and not found.can_receive_requests


def test_a_person_administering_two_organisations_sees_both(store: Store, demo: DataSet) -> None:
    roles = {(a.organization, a.role) for a in store.admins.administered_by(ELS)}
    assert roles == {("0428364866", AdminRole.HEAD), ("OVO000123", AdminRole.LOCAL)}
    assert store.admins.administered_by(SOFIE) == []


def test_local_admin_round_trip(store: Store, table: Table) -> None:
    admin = LocalAdmin(
        organization="0415327175",
        person="p-1",
        name="Ann",
        role=AdminRole.LOCAL,
        email="ann@x.be",
        phone="+3211111111",
    )
    store.admins.put(admin)
    assert store.admins.get("0415327175", "p-1") == admin


def test_work_relationships_and_grants_are_found_by_person_and_by_organisation(
    store: Store, demo: DataSet
) -> None:
    grant = Grant(
        person=SOFIE,
        organization="0428364866",
        right="DWSE_ORG_MEDEWERKER",
        context="Sociale werkplaats",
        begin=TODAY,
        end=date(2028, 11, 28),
    )
    relationship = WorkRelationship(person=SOFIE, organization="0428364866", email="s@x.be", since=TODAY)
    hold(store, grant, relationship=relationship)

    relationships, grants = store.people.relations(SOFIE)
    assert (relationships, grants) == ([relationship], [grant])
    [member] = [
        m
        for m in store.people.members("0428364866", None, 25, None).items
        if m.work_relationship.person == SOFIE
    ]
    assert member.grants == (grant,)
    assert {r.person for r in store.people.work_relationships_of("0428364866")} == {
        ELS,
        "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a02",
        "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a31",
        "5c1f7d2e-0b4a-4e51-9a0e-3f6c2d8b1a32",
        SOFIE,
    }
    assert store.people.grant(SOFIE, "0428364866", "DWSE_ORG_MEDEWERKER", "Sociale werkplaats") == grant
    assert store.people.grant(SOFIE, "0428364866", "DWSE_ORG_MEDEWERKER", "Lokale diensteneconomie") is None
    assert store.people.work_relationship(SOFIE, "0428364866") == relationship


# ---- filing -------------------------------------------------------------------------------------


def test_a_filed_request_round_trips(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    assert store.requests.get(request.id) == request


def test_a_second_identical_pending_request_is_refused_and_stores_nothing(store: Store, table: Table) -> None:
    store.requests.create(a_request(), TODAY)
    before = table.items()
    with pytest.raises(DuplicatePending):
        store.requests.create(a_request(), TODAY)
    assert table.items() == before


def test_another_context_or_right_is_another_request(store: Store, table: Table) -> None:
    store.requests.create(a_request(right="DWSE_ORG_MEDEWERKER", context="Lokale diensteneconomie"), TODAY)
    store.requests.create(a_request(right="DWSE_ORG_MEDEWERKER", context="Sociale werkplaats"), TODAY)
    store.requests.create(a_request(right="DIMONA_MANDAAT_RAADPLEGER"), TODAY)
    store.requests.create(a_request(right="DIMONA_MANDAAT_RAADPLEGER", organization="0415327175"), TODAY)
    assert len(store.requests.of_person(SOFIE, 10).items) == 4


def test_a_right_already_held_is_refused(store: Store, table: Table) -> None:
    """Held beyond the warning window (30 days): not yet `expiring`, so not to be renewed either."""
    request = a_request()
    hold(store, a_grant(request, end=TODAY + timedelta(days=31)))
    with pytest.raises(AlreadyGranted):
        store.requests.create(request, TODAY)
    assert store.requests.get(request.id) is None


def test_a_right_held_no_further_than_the_warning_window_may_be_renewed(store: Store, table: Table) -> None:
    request = a_request()
    hold(store, a_grant(request, end=TODAY + timedelta(days=30)))
    store.requests.create(request, TODAY)
    assert store.requests.get(request.id) is not None


def test_an_expired_grant_may_be_asked_again(store: Store, table: Table) -> None:
    request = a_request()
    hold(store, a_grant(request, end=TODAY - timedelta(days=1)))
    store.requests.create(request, TODAY)
    assert store.requests.get(request.id) is not None


def test_an_existing_work_relationship_is_refused(store: Store, demo: DataSet) -> None:
    with pytest.raises(AlreadyGranted):
        store.requests.create(a_request(requester=ELS, right=None), TODAY)


def test_duplicate_pending_is_checked_before_already_granted(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    hold(store, a_grant(request))
    with pytest.raises(DuplicatePending):
        store.requests.create(a_request(), TODAY)


# ---- closing: cancel and decide -----------------------------------------------------------------


def test_cancelling_frees_the_way_for_a_new_request(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    cancelled = cancelled_in(store, request, NOW)
    assert store.requests.get(request.id) == cancelled
    assert cancelled.status is RequestStatus.CANCELLED
    store.requests.create(a_request(), TODAY)


def test_a_cancelled_request_cannot_be_decided(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    cancelled_in(store, request, NOW)
    with pytest.raises(AlreadyDecided):
        decided_in(store, request, an_approval(), TODAY, Effects(a_grant(request), None, ()))
    assert store.people.grant(SOFIE, "0428364866", "DIMONA_MANDAAT_BEHEERDER", None) is None


def test_approval_creates_work_relationship_and_grant_together(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    relationship = WorkRelationship(
        person=SOFIE, organization="0428364866", email=request.email, phone=request.phone, since=TODAY
    )
    decided = decided_in(store, request, an_approval(), TODAY, Effects(a_grant(request), relationship, ()))

    assert decided.status is RequestStatus.APPROVED
    assert (decided.grant_begin, decided.grant_end) == (TODAY, date(2028, 11, 28))
    assert store.requests.get(request.id) == decided
    assert store.people.work_relationship(SOFIE, "0428364866") == relationship
    assert store.people.grant(SOFIE, "0428364866", "DIMONA_MANDAAT_BEHEERDER", None) == a_grant(request)


def test_approval_keeps_an_existing_work_relationship_as_it_was(store: Store, table: Table) -> None:
    existing = WorkRelationship(
        person=SOFIE, organization="0428364866", email="oud@x.be", phone="+3299999999", since=date(2020, 1, 1)
    )
    store.people.load(existing, ())
    request = a_request()
    store.requests.create(request, TODAY)
    proposed = WorkRelationship(person=SOFIE, organization="0428364866", email=request.email, since=TODAY)
    # A decision that would create one where one appeared meanwhile writes nothing and says so.
    with pytest.raises(RelationshipAppeared):
        decided_in(store, request, an_approval(), TODAY, Effects(a_grant(request), proposed, ()))
    assert store.requests.get(request.id) == request
    decided_in(store, request, an_approval(), TODAY, Effects(a_grant(request), None, ()))
    assert store.people.work_relationship(SOFIE, "0428364866") == existing


def test_the_first_decision_wins(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    decided_in(store, request, an_approval(), TODAY)
    rejection = Decision(
        outcome=Outcome.REJECTED, by_person="other", by_name="Tom Jacobs", at=NOW, reason="Nee."
    )
    with pytest.raises(AlreadyDecided):
        decided_in(store, request, rejection, TODAY)
    stored = store.requests.get(request.id)
    assert stored is not None and stored.decision == an_approval()


def test_a_failed_decision_leaves_nothing_half_done(store: Store, table: Table) -> None:
    request = a_request()
    store.requests.create(request, TODAY)
    cancelled_in(store, request, NOW)
    relationship = WorkRelationship(person=SOFIE, organization="0428364866", since=TODAY)
    with pytest.raises(AlreadyDecided):
        decided_in(store, request, an_approval(), TODAY, Effects(a_grant(request), relationship, ()))
    assert store.people.relations(SOFIE) == ([], [])


def test_closing_a_request_that_does_not_exist_is_not_found(store: Store, table: Table) -> None:
    with pytest.raises(NotFound):
        cancelled_in(store, a_request(), NOW)


def test_a_malformed_request_id_is_simply_not_found(store: Store, table: Table) -> None:
    assert store.requests.get("../../etc") is None


# ---- paging -------------------------------------------------------------------------------------


def _file_many(
    store: Store,
    count: int,
    organization: str,
    start: datetime,
    requester: str = SOFIE,
    assignees: frozenset[str] = frozenset({ELS}),
) -> list[str]:
    ids = []
    for n in range(count):
        request = a_request(
            right=f"RIGHT_{n}",
            organization=organization,
            created_at=start + timedelta(minutes=n),
            requester=requester,
            assignees=assignees,
        )
        store.requests.create(request, TODAY)
        ids.append(request.id)
    return ids


def test_own_requests_come_newest_first_in_pages(store: Store, table: Table) -> None:
    ids = _file_many(store, 5, "0428364866", NOW)
    first = store.requests.of_person(SOFIE, 2)
    second = store.requests.of_person(SOFIE, 2, first.next_cursor)
    third = store.requests.of_person(SOFIE, 2, second.next_cursor)
    seen = [r.id for page in (first, second, third) for r in page.items]
    assert seen == list(reversed(ids))
    assert third.next_cursor is None
    assert store.requests.of_person("someone-else", 10).items == []


def test_a_cursor_cannot_reach_another_persons_requests(store: Store, table: Table) -> None:
    _file_many(store, 3, "0428364866", NOW)
    cursor = store.requests.of_person(SOFIE, 1).next_cursor
    assert cursor is not None
    assert store.requests.of_person("someone-else", 10, cursor).items == []


@pytest.mark.parametrize("cursor", ["", "nonsense", "eyJhZnRlciI6IDF9", "W10"])
def test_a_tampered_own_requests_cursor_is_refused(store: Store, table: Table, cursor: str) -> None:
    with pytest.raises(InvalidCursor):
        store.requests.of_person(SOFIE, 10, cursor)


def test_tasks_of_several_organisations_merge_newest_first(store: Store, table: Table) -> None:
    a = _file_many(store, 4, "0428364866", NOW)
    b = _file_many(store, 3, "OVO000123", NOW + timedelta(seconds=30))
    c = _file_many(store, 2, "0415327175", NOW + timedelta(seconds=45))
    expected = sorted(a + b + c, reverse=True)

    seen, cursor, pages = [], None, 0
    while True:
        page = store.tasks.of(ELS, "open", 3, cursor)
        assert len(page.items) <= 3
        seen += [r.id for r in page.items]
        pages += 1
        cursor = page.next_cursor
        if cursor is None:
            break
    assert seen == expected
    assert pages <= 4


def test_decided_tasks_move_from_open_to_closed(store: Store, table: Table) -> None:
    [first, second] = _file_many(store, 2, "0428364866", NOW)
    request = store.requests.get(first)
    assert request is not None
    decided_in(store, request, an_approval(), TODAY)
    assert [r.id for r in store.tasks.of(ELS, "open", 10).items] == [second]
    assert [r.id for r in store.tasks.of(ELS, "closed", 10).items] == [first]


def test_another_administrators_cursor_pages_only_the_callers_own_tasks(store: Store, table: Table) -> None:
    mine = _file_many(store, 3, "0428364866", NOW, assignees=frozenset({ELS}))
    theirs = _file_many(store, 3, "0415327175", NOW + timedelta(seconds=30), assignees=frozenset({"other"}))
    cursor = store.tasks.of("other", "open", 1).next_cursor
    assert cursor is not None
    seen = [r.id for r in store.tasks.of(ELS, "open", 10, cursor).items]
    assert set(seen) <= set(mine) and not set(seen) & set(theirs)


def test_a_task_cursor_of_the_open_list_does_not_page_the_closed_list(store: Store, table: Table) -> None:
    _file_many(store, 3, "0428364866", NOW)
    cursor = store.tasks.of(ELS, "open", 1).next_cursor
    assert cursor is not None
    with pytest.raises(InvalidCursor):
        store.tasks.of(ELS, "closed", 10, cursor)
