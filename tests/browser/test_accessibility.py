"""axe-core on every page: no serious or critical violations.

NOW is Friday 27 November 2026, 12:00 UTC; the browser's zone is Asia/Tokyo.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from tests.browser.conftest import Live
from tests.browser.helpers import AXE, book_direct
from tests.pages.scenario import MONDAY_10, NY

FREE = datetime(2026, 11, 30, 12, tzinfo=NY)  # Tuesday 1 December 02:00 in Tokyo
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" "))
  }));
}"""


def violations(page: Any) -> list[dict[str, Any]]:
    page.add_script_tag(content=AXE.read_text())
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE)
    return found


def test_no_serious_or_critical_violations_on_any_page(
    browser: Any, live: Live, shots: Path
) -> None:
    site = live.site
    uid, token = book_direct(site, "intro-call", MONDAY_10)
    custom_uid, custom_token = book_direct(site, "custom-call", MONDAY_10.replace(hour=14))
    pending_uid, pending_token = book_direct(
        site, "approval-call", datetime(2026, 11, 30, 11, tzinfo=UTC)
    )
    cancelled_uid, cancelled_token = book_direct(site, "plain-call", MONDAY_10.replace(hour=15))
    context = browser.new_context(bypass_csp=True, timezone_id="Asia/Tokyo", locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    manage = f"/booking/{uid}?token={token}"
    pages = {
        "index": "/",
        "host": "/host/ada-host",
        "month (zone detected)": "/book/intro-call",
        "day": "/book/intro-call?timezone=Asia/Tokyo&date=2026-12-01",
        "week": "/book/intro-call?timezone=Asia/Tokyo&view=week&week=2026-11-30",
        "locked zone": "/book/london-office-hours?date=2026-11-30",
        "form": site.form_url(start=FREE),
        "confirmation": f"/book/intro-call/confirmation/{uid}?token={token}",
        "custom confirmation": f"/book/custom-call/confirmation/{custom_uid}?token={custom_token}",
        "pending confirmation": (
            f"/book/approval-call/confirmation/{pending_uid}?token={pending_token}"
        ),
        "manage": manage,
        "manage day": f"{manage}&timezone=Asia/Tokyo&date=2026-12-01",
        "manage proposal": f"{manage}&time=2026-12-01T02:00:00%2B09:00",
        "not found": "/book/no-such-event",
        "forbidden": f"/booking/{uid}?token=forged",
    }
    report: dict[str, list[dict[str, Any]]] = {}
    for name, path in pages.items():
        page.goto(live.base + path)
        if name == "month (zone detected)":
            page.wait_for_selector('#picker[data-zone="Asia/Tokyo"]')
        report[name] = violations(page)
        page.screenshot(
            path=str(shots / f"page-{name.split()[0]}-{len(report)}.png"), full_page=True
        )

    # The form after a server-side error, and a cancelled booking.
    page.goto(live.base + site.form_url(start=FREE))
    page.get_by_role("textbox", name="Your name").fill("Kenji Sato")
    page.get_by_role("textbox", name="Email", exact=True).fill("kenji@example")
    page.get_by_label("Topic").fill("Visa")
    page.get_by_role("button", name="Confirm booking").click()
    page.wait_for_selector("#error-summary")
    page.screenshot(path=str(shots / "form-errors.png"), full_page=True)
    report["form with errors"] = violations(page)
    page.goto(f"{live.base}/booking/{cancelled_uid}?token={cancelled_token}")
    page.get_by_role("button", name="Cancel booking").click()
    page.wait_for_selector(".notice")
    report["cancelled"] = violations(page)

    serious = {
        name: [v for v in found if v["impact"] in ("serious", "critical")]
        for name, found in report.items()
    }
    assert {name: found for name, found in serious.items() if found} == {}
    assert len(report) == 17
    # The check itself works: a page with an unlabelled image and field fails it.
    page.set_content('<html lang="en"><title>x</title><main><img src="a.png"><input></main></html>')
    broken = {v["id"]: v["impact"] for v in violations(page)}
    assert broken["image-alt"] == "critical"
    assert broken["label"] == "critical"
    context.close()
