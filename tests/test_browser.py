"""The web edition in a real browser: headless Chromium, no console errors, axe-core clean."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, SEED_ARTICLE
from tests.tools import axe_violations, headless_chromium, served

ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def site(seed_output: Path) -> Iterator[str]:
    """The built output served on 127.0.0.1, as a reader's browser would get it."""
    with served(seed_output) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with headless_chromium() as instance:
        yield instance


@pytest.mark.parametrize(
    "page_path", [f"{SEED_ARTICLE}/301114ar.html", "nps-4-1/index.html", "index.html"]
)
def test_page_loads_cleanly_and_axe_finds_no_serious_violation(
    browser: object, site: str, page_path: str
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})  # type: ignore[attr-defined]
    console_errors: list[str] = []
    failed: list[str] = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: console_errors.append(str(e)))
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.goto(f"{site}/{page_path}", wait_until="networkidle")
    assert console_errors == []
    assert failed == []
    assert page.evaluate("document.styleSheets.length") == 1  # the stylesheet loaded

    violations = axe_violations(page)
    serious = [v for v in violations if v["impact"] in ("serious", "critical")]
    ARTIFACTS.mkdir(exist_ok=True)
    name = page_path.replace("/", "_").removesuffix(".html")
    (ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(violations, indent=2))
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    assert serious == [], json.dumps(serious, indent=2)
    page.close()


def test_the_page_reflows_on_a_phone(browser: object, site: str) -> None:
    page = browser.new_page(viewport={"width": 360, "height": 740})  # type: ignore[attr-defined]
    page.goto(f"{site}/{SEED_ARTICLE}/301114ar.html", wait_until="networkidle")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # no sideways scrolling
    page.screenshot(path=str(ARTIFACTS / "article_phone.png"))
    page.close()
