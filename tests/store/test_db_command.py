"""`serviceqa db upgrade` and `serviceqa db check` on each backend, as a user runs them."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text
from typer.testing import CliRunner

from serviceqa.cli import app
from serviceqa.store import make_engine, upgrade
from serviceqa.store.migrate import head_revision

runner = CliRunner()


def _db(*args: str) -> tuple[int, str]:
    result = runner.invoke(app, ["db", *args])
    return result.exit_code, result.stdout + result.stderr


def test_check_an_empty_database_says_run_upgrade(db_url: str) -> None:
    engine = make_engine(db_url)
    engine.connect().close()  # on SQLite this creates the (empty) file
    engine.dispose()
    code, output = _db("check", "--db", db_url)
    assert code == 1
    assert "not initialised" in output and "serviceqa db upgrade" in output


def test_upgrade_then_check_is_at_head(db_url: str) -> None:
    code, output = _db("upgrade", "--db", db_url)
    assert code == 0, output
    assert f"at head ({head_revision()})" in output
    assert _db("upgrade", "--db", db_url)[0] == 0  # again: nothing to do, still fine
    code, output = _db("check", "--db", db_url)
    assert code == 0 and f"at head ({head_revision()})" in output


def test_check_a_database_behind_names_both_revisions(db_url: str) -> None:
    upgrade(db_url, "0001")
    code, output = _db("check", "--db", db_url)
    assert code == 1
    assert f"behind: at 0001, head is {head_revision()}" in output
    assert _db("upgrade", "--db", db_url)[0] == 0
    assert _db("check", "--db", db_url)[0] == 0


def test_check_an_unknown_revision_exits_2(db_url: str) -> None:
    upgrade(db_url)
    engine = make_engine(db_url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    engine.dispose()
    code, output = _db("check", "--db", db_url)
    assert code == 2 and "unknown revision 9999" in output
    code, output = _db("upgrade", "--db", db_url)
    assert code == 2 and "cannot upgrade" in output


def test_check_never_creates_a_sqlite_file(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.db"
    code, output = _db("check", "--db", f"sqlite:///{missing}")
    assert code == 2 and "no such database file" in output
    assert not missing.exists()


def test_unreachable_server_is_a_clear_error_without_password() -> None:
    # Port 9 (discard) on localhost: refused at once, no network needed.
    code, output = _db("check", "--db", "postgresql://someone:s3cret@127.0.0.1:9/qa")
    assert code == 2
    assert "postgresql://someone:***@127.0.0.1:9/qa" in output
    assert "s3cret" not in output


def test_a_bad_url_is_a_usage_error() -> None:
    code, output = _db("check", "--db", "not a url")
    assert code == 2 and "not a usable database URL" in output


def test_rollups_rebuilds_what_a_hand_edit_left_stale(db_url: str) -> None:
    from serviceqa.store import Store
    from tests.store.factory import conversation, evaluation

    store = Store(db_url)
    store.upgrade()
    store.save(conversation("r-1", "a-1"), evaluation("r-1", 60.0))
    with store.engine.begin() as connection:  # an edit behind ServiceQA's back
        connection.execute(text("UPDATE evaluations SET score = 90.0, final_score = 90.0"))
    assert store.report("agent")[0].mean_score == 60.0
    code, output = _db("rollups", "--db", db_url)
    assert code == 0 and "rollups rebuilt over 1 conversations" in output, output
    assert store.report("agent")[0].mean_score == 90.0
    store.close()


def test_rollups_refuses_a_database_behind(db_url: str) -> None:
    upgrade(db_url, "0003")
    code, output = _db("rollups", "--db", db_url)
    assert code == 2 and "serviceqa db upgrade" in output, output
