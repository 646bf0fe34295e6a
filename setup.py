"""Packaging: the wheel carries galley's templates and its npm manifest inside the package.

The checkout keeps them at the top level (templates/ for the journal's editors to read,
package.json for `npm ci`); an installed galley finds them in galley/templates and galley/node.
Everything else is declared in pyproject.toml.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
NPM_MANIFEST = ("package.json", "package-lock.json", ".npmrc")


class BuildWithTemplates(build_py):  # type: ignore[misc]
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):  # an editable install reads the checkout
            return
        package = Path(self.build_lib) / "galley"
        shutil.copytree(ROOT / "templates", package / "templates", dirs_exist_ok=True)
        for name in NPM_MANIFEST:
            shutil.copyfile(ROOT / name, package / "node" / name)


setup(cmdclass={"build_py": BuildWithTemplates})
