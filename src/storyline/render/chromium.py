"""Headless Chromium as the project drives it to look at its HTML report (browser tests,
benchmarks/report_page.py, docs/make_screenshots.py): Debian's package, through Playwright,
never a browser that Playwright would download."""

from __future__ import annotations

import os
import shutil
from typing import Any

__all__ = ["CHROMIUM", "CHROMIUM_ARGS", "launch"]

CHROMIUM = os.environ.get("STORYLINE_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    # Chromium's own background requests (updates, sync, safe browsing lists) would show up
    # among the page's requests and need a network the tests do not have.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def launch(playwright: Any) -> Any:  # playwright.sync_api.Playwright -> Browser
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
