"""Fixtures of the store tests: one fresh project location per test, on SQLite and PostgreSQL.

PostgreSQL tests need ``COOPEVAL_TEST_PG_URL`` (started by ``tests/support/postgres.sh
start``, which ``tests/run_tests.sh`` always runs); each test gets its own database,
created from that server and dropped afterwards.
"""

from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa

PG_URL = os.environ.get("COOPEVAL_TEST_PG_URL")
NO_PG = "COOPEVAL_TEST_PG_URL is not set: start a server with `source tests/support/postgres.sh start`"


@pytest.fixture
def pg_url():
    """URL of a new, empty PostgreSQL database (dropped after the test)."""
    if not PG_URL:
        pytest.skip(NO_PG)
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"coopeval_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    url = sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    yield url
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()")
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def location(request, tmp_path):
    """Where to create a project: a SQLite file path, or a fresh PostgreSQL database URL."""
    if request.param == "sqlite":
        return str(tmp_path / "projet.coopeval")
    return request.getfixturevalue("pg_url")


@pytest.fixture
def location2(request, tmp_path, location):
    """A second, distinct location on the same backend as ``location``."""
    if "://" not in location:
        return str(tmp_path / "copie.coopeval")
    return request.getfixturevalue("pg_url2")


@pytest.fixture
def pg_url2(pg_url):  # noqa: ARG001 - a second database alongside the first
    if not PG_URL:
        pytest.skip(NO_PG)
    admin = sa.create_engine(PG_URL, isolation_level="AUTOCOMMIT")
    name = f"coopeval_t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    yield sa.make_url(PG_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.exec_driver_sql(
            f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}' "
            "AND pid <> pg_backend_pid()")
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.dispose()


@pytest.fixture
def project(location, fw):
    """A new project with the default framework, opened as researcher."""
    import coopeval as ce

    p = ce.Project.create(location, framework=fw)
    yield p
    p.close()


@pytest.fixture
def replayed_example(project):
    """The whole bundled ``deliberation_exemple`` submitted through tokens, round by round.

    Returns ``(project, judgements, session, tokens)``; both rounds are closed; no
    method is imposed, each set carries its own (Simos blank cards and ``overall:z`` included).
    """
    import coopeval as ce

    j = ce.datasets.load("deliberation_exemple")
    session = str(j["session"].iloc[0])
    project.create_session(session)
    roster = j[["participant", "college"]].drop_duplicates("participant")
    tokens = project.add_participants(session, roster).set_index("participant")["token"]
    fac = project.as_role("facilitator")
    for rnd, rj in j.groupby("round", sort=True):
        fac.open_round(session, int(rnd))
        for who, pj in rj.groupby("participant", sort=True):
            if project.submit(tokens[who], pj.drop(columns=["session", "round"])) != len(pj):
                raise AssertionError(f"{who}: not every judgement was stored")
        fac.close_round(session, int(rnd))
    return project, j, session, tokens
