"""Screenshots of the pages for docs/using.md (`make screenshots`): starts the local stack, files a
request as `aanvrager`, and photographs the form, "Mijn aanvragen", "Mijn Taken", the task page, the
people of the bakery with the revocation dialog open, and Erwin's "Mijn profiel"."""

from __future__ import annotations

import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _sign_in(page: Page, path: str, persona: str) -> None:
    page.goto(path)
    page.get_by_role("link", name=re.compile(persona)).click()
    page.wait_for_url(re.compile(re.escape(path.split("?")[0])))
    page.wait_for_selector("main h1")


def main() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    stack = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "devstack",
            "--port",
            str(port),
            "--idp-key",
            str(ROOT / ".local" / "shots-key.json"),
        ],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                httpx.get(f"{base}/api/health", timeout=1)
                break
            except httpx.TransportError:
                time.sleep(0.1)
        OUT.mkdir(parents=True, exist_ok=True)
        chromium = shutil.which("chromium") or "/usr/bin/chromium"
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=chromium, args=ARGS)
            page = browser.new_context(base_url=base, viewport={"width": 1100, "height": 900}).new_page()
            _sign_in(page, "/user/aanvraag?&an=45&dg=EA&oc=0428364866", "Sofie Peeters")
            page.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
            page.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("+3212345678")
            page.get_by_label("Uw e-mailadres:").fill("sofie.peeters@example.be")
            page.get_by_label("Reden van de aanvraag:").fill(
                "Ik volg de Dimona-aangiften van de bakkerij op."
            )
            page.screenshot(path=OUT / "aanvraag.png", full_page=True)
            page.get_by_role("button", name="Verder").click()
            page.get_by_role("button", name="Bevestigen").click()
            page.wait_for_selector(".notice.success")
            page.goto("/user/aanvragen")
            page.wait_for_selector("tbody tr")
            page.screenshot(path=OUT / "aanvragen.png", full_page=True)
            admin = browser.new_context(base_url=base, viewport={"width": 1100, "height": 900}).new_page()
            time.sleep(1)  # the mail and the task list need the stream poller a moment
            _sign_in(admin, "/beheer/taken", "Els Wouters")
            admin.wait_for_selector("tbody tr")
            admin.screenshot(path=OUT / "beheer.png", full_page=True)
            admin.get_by_role("link", name=re.compile("Details")).first.click()
            admin.wait_for_selector("dl.summary")
            admin.get_by_role("button", name="Keur goed").click()
            admin.screenshot(path=OUT / "taak.png", full_page=True)
            admin.goto("/beheer/personen")
            admin.wait_for_selector("tbody tr")
            admin.get_by_role("button", name="Herroepen (Dimona raadpleger van Erwin Hermans)").click()
            admin.get_by_label("Reden").fill("Erwin doet de Dimona-aangiften niet meer.")
            admin.screenshot(path=OUT / "personen.png", full_page=True)
            employee = browser.new_context(base_url=base, viewport={"width": 1100, "height": 900}).new_page()
            _sign_in(employee, "/user/profiel", "Erwin Hermans")
            employee.wait_for_selector("tbody tr")
            employee.screenshot(path=OUT / "profiel.png", full_page=True)
            phone = browser.new_context(base_url=base, viewport={"width": 390, "height": 844}).new_page()
            _sign_in(phone, "/user/aanvraag?&an=45&dg=EA&oc=0428364866", "Jonas Maes")
            phone.screenshot(path=OUT / "aanvraag-telefoon.png")
            phone.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
            phone.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("0470 12 34 56")
            phone.get_by_label("Uw e-mailadres:").fill("jonas.maes@example.be")
            phone.get_by_role("button", name="Verder").click()
            phone.wait_for_selector("dl.summary")
            phone.screenshot(path=OUT / "samenvatting-telefoon.png", full_page=True)
            refusal = browser.new_context(base_url=base, viewport={"width": 1100, "height": 900}).new_page()
            _sign_in(refusal, "/user/aanvraag?&an=45&dg=EA&oc=0428364866", "Sofie Peeters")
            refusal.get_by_label("U wenst het gebruikersrecht:").select_option(label="Dimona raadpleger")
            refusal.get_by_label("Uw telefoonnummer (bv. +3212345678):").fill("+3212345678")
            refusal.get_by_label("Uw e-mailadres:").fill("sofie.peeters@example.be")
            refusal.get_by_role("button", name="Verder").click()
            refusal.wait_for_selector(".notice.warning")
            refusal.screenshot(path=OUT / "weigering.png", full_page=True)
            browser.close()
    finally:
        stack.send_signal(signal.SIGINT)
        stack.wait(5)
    for name in (
        "aanvraag",
        "aanvragen",
        "beheer",
        "taak",
        "personen",
        "profiel",
        "aanvraag-telefoon",
        "samenvatting-telefoon",
        "weigering",
    ):
        print(OUT / f"{name}.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
