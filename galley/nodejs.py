"""The external tools galley runs: Node.js and the npm packages pinned in package-lock.json.

Those packages (the Nu HTML Checker's vnu.jar, MathJax, Ace by DAISY, axe-core) are found in
one place, the first of: $GALLEY_TOOLS/node_modules, the checkout's node_modules (`npm ci`),
and the user cache, where `galley tools install` puts them. galley's own Node scripts live in
galley/node/ and find their packages through NODE_PATH.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

from galley import limits
from galley.codes import Code
from galley.diagnostics import GalleyError, error

SCRIPTS = Path(__file__).resolve().parent / "node"
CHECKOUT = Path(__file__).resolve().parent.parent
TOOLS_ENV = "GALLEY_TOOLS"
# npm's manifest and lock: galley/node/ in a wheel (setup.py copies them), else the checkout's.
MANIFEST = ("package.json", "package-lock.json", ".npmrc")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "galley" / "tools"


def install_dir() -> Path:
    """Where `galley tools install` puts the npm packages: $GALLEY_TOOLS, else the user cache."""
    return Path(os.environ[TOOLS_ENV]) if os.environ.get(TOOLS_ENV) else cache_dir()


def modules() -> Path:
    """The node_modules folder galley uses (see the module's docstring for the order)."""
    for folder in (install_dir() if os.environ.get(TOOLS_ENV) else None, CHECKOUT, cache_dir()):
        if folder is not None and (folder / "node_modules").is_dir():
            return folder / "node_modules"
    return install_dir() / "node_modules"


def manifest_dir() -> Path:
    return SCRIPTS if (SCRIPTS / "package-lock.json").is_file() else CHECKOUT


@functools.cache
def node() -> str:
    """The Node.js executable, or a clear error."""
    found = shutil.which("node")
    if found is None:
        raise GalleyError(
            error(
                Code.TOOL_NODE_MISSING,
                "Node.js is not installed (galley runs MathJax and Ace by DAISY on it)",
                hint="install Node.js 18 or later (Debian: apt-get install nodejs npm), "
                "then run `galley tools install`",
            )
        )
    return found


def package(name: str, purpose: str) -> Path:
    """The folder of one of galley's npm packages, or an error saying how to get it."""
    folder = modules() / name
    if not folder.is_dir():
        raise GalleyError(
            error(
                Code.TOOL_NPM_MISSING,
                f"{name} ({purpose}) is not installed in {modules()}",
                hint="run `galley tools install` once (it needs Node.js and npm, and the "
                "network that one time)",
            )
        )
    return folder


def command(script: str) -> list[str]:
    """How to run one of galley's Node scripts."""
    return [node(), limits.NODE_MEMORY, str(SCRIPTS / script)]


def environment(**extra: str) -> dict[str, str]:
    """The environment galley's Node scripts run in."""
    return {**os.environ, "NODE_PATH": str(modules()), **extra}


def install(announce: Callable[[str], None]) -> Path:
    """`galley tools install`: `npm ci` of galley's pinned packages into install_dir().

    npm checks every package against the SHA-512 in package-lock.json; no install script runs
    (.npmrc). What npm already has in its cache is not downloaded again.
    """
    npm = shutil.which("npm")
    if npm is None:
        raise GalleyError(
            error(
                Code.TOOL_NPM_ABSENT,
                "npm is not installed (galley installs its validators and MathJax with it)",
                hint="install Node.js 18 or later with npm (Debian: apt-get install nodejs npm)",
            )
        )
    target = install_dir()
    target.mkdir(parents=True, exist_ok=True)
    for name in MANIFEST:
        if (manifest_dir() / name).is_file():
            shutil.copyfile(manifest_dir() / name, target / name)
    announce(f"installing galley's tools into {target} (npm ci, checksums from package-lock.json)")
    process = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--ignore-scripts", "--prefer-offline"],
        cwd=target,
        capture_output=True,
        text=True,
        check=False,
    )
    if process.returncode != 0:
        lines = (process.stderr or process.stdout).strip().splitlines()
        raise GalleyError(
            error(
                Code.TOOL_INSTALL_FAILED,
                f"npm ci in {target} failed: {' / '.join(lines[-3:]) or 'no message'}",
                hint="check the network (only this command needs it) and run it again",
            )
        )
    return target / "node_modules"
