"""Take screenshots of every page in Spanish and English (a running server is needed).

    python scripts/screenshots.py http://localhost:8501 artifacts/ [USER PASSWORD [PAGE ...]]

Without USER the public pages are taken; with USER the pages that account may open; with PAGEs only those.
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = (
    "",
    "country_report",
    "regional_overview",
    "findings",
    "presenter",
    "country_onepager",
    "review_process",
    "submissions",
    "cycles",
    "users",
    "audit",
    "sign_in",
    "explorer",
    "search",
    "compare",
    "objective",
    "country_profile",
    "map",
    "open_data",
)
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def main(base: str, out: Path, user: str | None, password: str | None, pages: tuple[str, ...] = PAGES) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for lang in ("es", "en"):
            page = browser.new_page(viewport={"width": 1400, "height": 2200}, locale=lang)
            page.goto(f"{base}/auth/login?lang={lang}")
            page.screenshot(path=str(out / f"login_{lang}.png"))
            if user:
                page.fill("#username", user)
                page.fill("#password", password or "")
                page.click("button[type=submit]")
                page.wait_for_load_state()
            for name in pages:
                page.goto(f"{base}/{name}{'&' if '?' in name else '?'}lang={lang}")
                page.wait_for_selector(IDLE, timeout=30000)
                page.wait_for_timeout(2500)
                shot = f"{user or 'public'}_{name.split('?')[0] or 'home'}_{lang}.png"
                page.screenshot(path=str(out / shot), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(
        sys.argv[1],
        Path(sys.argv[2]),
        *(sys.argv[3:5] if len(sys.argv) > 4 else (None, None)),
        tuple(sys.argv[5:]) or PAGES,
    )
