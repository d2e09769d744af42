"""The preview command renders every mail kind to files a designer can open."""

from __future__ import annotations

from pathlib import Path

from tools.preview_mails import write
from zelfregistratie.mail.compose import MailKind


def test_every_mail_kind_is_rendered_as_html_and_text(tmp_path: Path) -> None:
    written = write(tmp_path, screenshots=False)
    assert {p.name for p in written} == {f"{k.value}.{ext}" for k in MailKind for ext in ("html", "txt")}
    filed = (tmp_path / "filed_admin.html").read_text()
    assert "&lt;lokale diensteneconomie&gt;" in filed
    assert "Dit bericht werd automatisch verstuurd" in (tmp_path / "rejected.txt").read_text()
