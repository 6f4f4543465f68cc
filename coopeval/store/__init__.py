"""Project store: every evaluation kept in one SQLite file (default) or a shared PostgreSQL database.

>>> import tempfile, pathlib
>>> import coopeval as ce
>>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
...                       framework="cooperation_territoriale")
>>> p.frameworks().shape[0]
1
"""

from coopeval.store.access import TokenInfo
from coopeval.store.project import ROLES, Project
from coopeval.store.sample import sample_project
from coopeval.store.schema import SCHEMA_VERSION

__all__ = ["Project", "ROLES", "SCHEMA_VERSION", "TokenInfo", "sample_project"]
