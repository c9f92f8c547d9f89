"""The outside programs some tests drive (Chromium, Java), and what to do when one is missing."""

from __future__ import annotations

import os
import shutil

import pytest

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-domain-reliability",
]
"""Chromium as root, and quiet: without the background-networking flags it reaches for the network."""


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() == "true"


def missing(reason: str) -> None:
    """Skip the test that needs something absent; in CI (CI=true) fail it, since CI must run it."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: the CI script must install it)", pytrace=False)
    pytest.skip(reason)


def chromium() -> str | None:
    """The Chromium to drive: $CHROMIUM, or Debian's `chromium` on the PATH."""
    named = os.environ.get("CHROMIUM")
    if named:
        return named if os.access(named, os.X_OK) else None
    return shutil.which("chromium") or shutil.which("chromium-browser")


def java() -> str | None:
    return shutil.which("java")
