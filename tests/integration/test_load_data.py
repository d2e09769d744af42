"""The data loader: validates the whole file first, then writes catalog and organisations."""

from __future__ import annotations

from pathlib import Path

import pytest

from ops import load_data
from tests.conftest import DEMO_FILE, Table
from zelfregistratie.store import reachability
from zelfregistratie.store.store import Store

UNREACHABLE = "0412345614"


def test_the_demo_data_matches_the_product_description(demo_data: load_data.DataSet) -> None:
    organizations = {o.code: o for o in demo_data.organizations}
    assert {"0428364866", "0415327175", "0418825808"} <= set(organizations)
    assert any(o.target_group == "GID" and o.code.startswith("OVO") for o in organizations.values())
    assert all(admin.email is None for admin in organizations["0418825808"].local_admins)
    applications = {a.id: a for a in demo_data.applications}
    assert applications[45].name == "Dimona Mandaat" and len(applications[45].rights) >= 2
    assert any(right.contexts for a in demo_data.applications for right in a.rights)
    assert {p.id for p in demo_data.personas} == {
        "medewerker",
        "aanvrager",
        "aanvrager2",
        "beheerder",
        "beheerder2",
        "beheerder-andere",
        "beheerder-onbereikbaar",
        "vertegenwoordiger",
    }
    assert len({p.sub for p in demo_data.personas}) == len(demo_data.personas)


def test_the_command_loads_a_file_into_a_table(table: Table, capsys: pytest.CaptureFixture[str]) -> None:
    assert load_data.main(["--table", table.name, str(DEMO_FILE)]) == 0
    assert "5 organizations" in capsys.readouterr().out
    store = Store.connect(table.name, table.client)
    assert store.catalog.organization_with_admins("0428364866").can_receive_requests
    # the demo's unreachable organisation (docs/unreachable-administrators.md): its one administrator's
    # address bounced, and it counts among those without a reachable administrator, as does the one without an
    # address
    unreachable = store.catalog.organization_with_admins(UNREACHABLE)
    assert [a.email_status.value for a in unreachable.admins] == ["bounced"]
    assert not unreachable.can_receive_requests
    assert reachability.count(store.table) == 2


def test_loading_twice_leaves_the_same_items(table: Table) -> None:
    load_data.main(["--table", table.name, str(DEMO_FILE)])
    first = table.items()
    load_data.main(["--table", table.name, str(DEMO_FILE)])
    assert sorted(map(str, table.items())) == sorted(map(str, first))


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("organizations: [{code: '0428364867', name: X, targetGroup: EA}]", "controlecijfers"),
        ("organizations: [{code: '0428.364.866', name: X, targetGroup: EA}]", "write organisation code"),
        ("organizations: [{code: OVO000123, name: X, targetGroup: EA}]", "KBO"),
        ("organizations: [{code: '0428364866', name: X, targetGroup: XX}]", "targetGroup"),
        (
            "organizations: [{code: '0428364866', name: X, targetGroup: EA, localAdmins: "
            '[{person: p, name: A, role: local_admin, email: "a@b.be\\r\\nBcc: c@d.be"}]}]',
            "regeleinden",
        ),
        (
            "workRelationships: [{person: p, organization: '0428364866', since: 2020-01-01}]",
            "unknown organisation",
        ),
    ],
)
def test_an_invalid_file_is_refused_with_its_reason_and_nothing_is_written(
    table: Table, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, reason: str
) -> None:
    data_file = tmp_path / "data.yaml"
    data_file.write_text(content)
    assert load_data.main(["--table", table.name, str(data_file)]) == 1
    assert reason in capsys.readouterr().err
    assert table.items() == []


def test_a_dry_run_only_validates(table: Table, capsys: pytest.CaptureFixture[str]) -> None:
    assert load_data.main(["--table", table.name, "--dry-run", str(DEMO_FILE)]) == 0
    assert "valid" in capsys.readouterr().out
    assert table.items() == []
