"""Node.js and the packages `npm ci` installs (MathJax, Ace by DAISY): found once, clearly.

galley's own Node scripts live in galley/node/; they find their packages through NODE_PATH,
which points at the project's node_modules.
"""

from __future__ import annotations

import functools
import os
import shutil
from pathlib import Path

from galley.diagnostics import GalleyError, error

SCRIPTS = Path(__file__).resolve().parent / "node"
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"


@functools.cache
def node() -> str:
    """The Node.js executable, or a clear error."""
    found = shutil.which("node")
    if found is None:
        raise GalleyError(
            error(
                "tool.node-missing",
                "Node.js is not installed (galley runs MathJax and Ace by DAISY on it)",
                hint="install Node.js 18 or later (Debian: apt-get install nodejs npm), "
                "then run `npm ci` in the project folder",
            )
        )
    return found


def package(name: str, purpose: str) -> Path:
    """The folder of an npm package `npm ci` installed, or an error saying how to get it."""
    folder = NODE_MODULES / name
    if not folder.is_dir():
        raise GalleyError(
            error(
                "tool.npm-missing",
                f"{name} ({purpose}) is not installed in {NODE_MODULES}",
                hint="run `npm ci` in the project folder",
            )
        )
    return folder


def command(script: str) -> list[str]:
    """How to run one of galley's Node scripts."""
    return [node(), str(SCRIPTS / script)]


def environment(**extra: str) -> dict[str, str]:
    """The environment galley's Node scripts run in."""
    return {**os.environ, "NODE_PATH": str(NODE_MODULES), **extra}
