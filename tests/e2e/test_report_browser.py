"""The audit report opens in headless Chromium and its charts and tables render."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections import Counter
from typing import TYPE_CHECKING

import pytest
from PIL import Image
from report_support import build_county

from cli.reports.svg import PALETTE

if TYPE_CHECKING:
    from pathlib import Path

CHROMIUM_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def _chromium() -> str:
    found = shutil.which("chromium")
    if found is None:
        reason = "Chromium is not installed (Debian package chromium)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{reason}; it is required under CI=true")
        pytest.skip(reason)
    return found


def _run(args: list[str]) -> str:
    result = subprocess.run(
        args, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("browser")
    county = build_county(str(home / "relief.db"), home)
    result = county.run("report", "audit", "--out", "report.html")
    assert result.exit_code == 0, result.output
    return home / "report.html"


def test_the_rendered_page_holds_the_charts_and_tables(page: Path) -> None:
    browser = _chromium()
    profile = page.parent / "profile-dom"
    dom = _run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            "--dump-dom",
            page.as_uri(),
        ]
    )
    assert (
        len(re.findall(r"<svg\b", dom)) >= 5
    )  # month, programme, township, rule, village
    assert len(re.findall(r'<rect class="bar"', dom)) >= 12
    assert len(re.findall(r"<tr>", dom)) >= 10
    assert "审计报告 Audit report" in dom


def test_the_screenshot_shows_the_bars(page: Path) -> None:
    browser = _chromium()
    shot = page.parent / "shot.png"
    profile = page.parent / "profile-shot"
    _run(
        [
            browser,
            *CHROMIUM_FLAGS,
            f"--user-data-dir={profile}",
            f"--screenshot={shot}",
            "--window-size=1100,2400",
            page.as_uri(),
        ]
    )
    with Image.open(shot) as image:
        pixels = Counter(image.convert("RGB").get_flattened_data())
    colours = [tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in PALETTE[:3]]
    # The month chart alone is dozens of bars in the first colour.
    assert pixels[colours[0]] > 5_000
    assert all(pixels[colour] > 0 for colour in colours)
    white = pixels[(255, 255, 255)]
    assert white < sum(pixels.values())  # not a blank page
