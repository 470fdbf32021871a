"""Package layout: one import name for the whole product.

The folders the product card names (`nlp/`, `crawlers/`, ...) stay at the top of the repository and
install as subpackages of `groundswell` (`nlp/` -> `groundswell.nlp`), so no generic top-level module
such as `config` or `nlp` lands in site-packages or shadows a user's own `config.py`. The package list
is computed here because setuptools' `packages.find` cannot rename what it discovers; an editable
install maps the folders with an import hook rather than putting the repository root on sys.path.
Everything else about the project lives in pyproject.toml.
"""

from setuptools import find_packages, setup

FOLDERS = ("config", "crawlers", "nlp", "indexer", "dashboard", "alerts", "pipeline", "reports")

packages = ["groundswell"] + [
    f"groundswell.{name}" for name in find_packages(include=[f"{folder}*" for folder in FOLDERS])
]
package_dir = {"groundswell": "groundswell", **{f"groundswell.{folder}": folder for folder in FOLDERS}}

setup(packages=packages, package_dir=package_dir)
