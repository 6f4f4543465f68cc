"""The submission hot path (issue 16): how many statements a submission costs, sets stored as sent
(order, reasons, Simos blank cards), the audit entry, and pooled PostgreSQL connections that the
server dropped while idle replaced without a failed call."""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa
from sqlalchemy import event

import coopeval as ce
from coopeval.store import engine as E

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


@pytest.fixture
def round_open(project):
    project.create_session("s")
    roster = pd.DataFrame({"participant": [f"p{i}" for i in range(4)], "college": ["habitants"] * 4})
    tokens = project.add_participants("s", roster)["token"].tolist()
    project.open_round("s", 1, methods="points")
    return project, tokens


def _points(first: float) -> pd.DataFrame:
    return pd.DataFrame({"node": DIMS, "value": [first] + [(100 - first) / 6] * 6})


def _statements(engine: sa.Engine) -> list[str]:
    seen: list[str] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        seen.append(statement)
    return seen


def test_statements_per_submission(round_open, monkeypatch):
    """PostgreSQL: two statements (the locked token read, one write), pipelined with BEGIN and COMMIT;
    SQLite: a read before the write lock, then a read and three inserts under it. Before issue 16's
    work: eight statements on PostgreSQL in two transactions, plus a ping per transaction."""
    project, tokens = round_open
    participant = ce.Project.open(project.engine.url, role="participant") if "://" in str(project.url) \
        else ce.Project.open(project.path, role="participant")
    participant.submit(tokens[0], _points(10))  # warm the pool and the framework cache
    if participant.engine.dialect.name == "postgresql":
        import psycopg

        seen: list[str] = []
        real = psycopg.Cursor.execute

        def spy(self, query, *args, **kwargs):  # noqa: ANN001, ANN202 - every statement, SQLAlchemy's or not
            seen.append(str(query))
            return real(self, query, *args, **kwargs)
        monkeypatch.setattr(psycopg.Cursor, "execute", spy)
    else:
        seen = _statements(participant.engine)
    participant.submit(tokens[1], _points(20))
    heads = [" ".join(s.split()[:2]).upper() for s in seen]
    if participant.engine.dialect.name == "postgresql":
        assert heads == ["WITH O", "WITH S"], heads
    else:
        assert heads == ["BEGIN", "SELECT P.SESSION,", "BEGIN IMMEDIATE", "SELECT P.SESSION,"] + ["INSERT INTO"] * 3, \
            heads
    participant.close()


def test_set_stored_as_sent_with_audit(round_open):
    project, tokens = round_open
    sent = _points(40).assign(reason=[None, "le lien, d'abord", None, "é « ok »", None, None, None])
    assert project.submit(tokens[2], sent) == 7
    got = project.judgements("s", 1)
    assert got["node"].tolist() == DIMS  # in the order sent
    assert got["value"].tolist() == sent["value"].tolist()
    assert got["reason"].tolist() == sent["reason"].tolist()
    assert set(got["college"]) == {"habitants"} and set(got["method"]) == {"points"}
    entry = project.audit().query("action == 'submit'").iloc[-1]
    assert entry["role"] == "participant" and entry["target"] == "s/1/p2"
    assert entry["detail"] == {"n": 7, "replaced": False}
    with pytest.raises(ce.StoreError, match="^submitted:"):
        project.submit(tokens[2], _points(50))
    project.submit(tokens[2], _points(50), replace=True)
    assert project.judgements("s", 1)["value"].iloc[0] == 50
    assert project.audit().query("action == 'submit'")["detail"].iloc[-1] == {"n": 7, "replaced": True}


def test_simos_blank_cards_kept_in_order(project):
    project.create_session("s")
    tok = project.add_participants("s", pd.DataFrame({"participant": ["p0"], "college": ["c"]}))["token"][0]
    project.open_round("s", 1, methods="simos")
    cards = pd.DataFrame([("territoire", 1), ("social", 2), ("emploi", 2), ("__blanc__", 3), ("ecologie", 4),
                          ("gouvernance", 5), ("economie", 5), ("externalites", 6), ("overall:z", 4)],
                         columns=["node", "value"])
    project.submit(tok, cards)
    got = project.judgements("s", 1)
    assert got["node"].tolist() == cards["node"].tolist() and got["value"].tolist() == cards["value"].tolist()


@pytest.mark.postgres
def test_idle_connection_dropped_by_server_is_replaced(pg_url, fw, monkeypatch):
    """No ping at every checkout any more: a connection idle for longer than PING_AFTER_IDLE_S is
    pinged, and one the server closed meanwhile is replaced (the call succeeds)."""
    p = ce.Project.create(pg_url, framework=fw)
    assert p.schema_version > 0
    pid = p._read(lambda c: c.exec_driver_sql("SELECT pg_backend_pid()").scalar())
    admin = sa.create_engine(pg_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend({int(pid)})")
    admin.dispose()
    monkeypatch.setattr(E, "PING_AFTER_IDLE_S", 0.0)
    assert p._read(lambda c: c.exec_driver_sql("SELECT pg_backend_pid()").scalar()) != pid
    p.close()


@pytest.mark.postgres
def test_serialisation_failure_in_the_pipeline_is_retried(pg_url, fw, monkeypatch):
    """A serialisation failure raised in the pipelined transaction comes out as SQLAlchemy's
    OperationalError, which engine.write retries: the set is stored once, audited once."""
    import psycopg

    from coopeval.store import submission

    p = ce.Project.create(pg_url, framework=fw)
    p.create_session("s")
    tok = p.add_participants("s", pd.DataFrame({"participant": ["p0"], "college": ["c"]}))["token"][0]
    p.open_round("s", 1, methods="points")
    real, calls = submission._pg_params, []

    def flaky(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        calls.append(1)
        if len(calls) == 1:
            raise psycopg.errors.SerializationFailure("could not serialize access (test)")
        return real(*args, **kwargs)
    monkeypatch.setattr(submission, "_pg_params", flaky)
    assert p.submit(tok, _points(30)) == 7
    assert len(calls) == 2 and len(p.judgements("s", 1)) == 7
    assert (p.audit()["action"] == "submit").sum() == 1
    p.close()
