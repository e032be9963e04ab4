"""Take screenshots of every page in Spanish and English (a running server is needed).

python scripts/screenshots.py http://localhost:8501 artifacts/
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

PAGES = {"home": "", "country_report": "country_report", "regional_overview": "regional_overview"}
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium",
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        for lang in ("es", "en"):
            page = browser.new_page(viewport={"width": 1400, "height": 2600}, locale=lang)
            for name, path in PAGES.items():
                page.goto(f"{base}/{path}?lang={lang}")
                page.wait_for_selector(IDLE, timeout=30000)
                if name == "country_report":
                    page.get_by_test_id("stSelectbox").first.click()
                    page.get_by_role("option").nth(7).click()
                    page.wait_for_selector(IDLE, timeout=30000)
                page.wait_for_timeout(1500)
                page.screenshot(path=str(out / f"{name}_{lang}.png"), full_page=True)
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
