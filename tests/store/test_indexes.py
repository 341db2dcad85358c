"""Every workspace filter has an index that serves it, on both backends.

Each backend's own planner is asked (EXPLAIN); on PostgreSQL sequential scans are priced
out first, because on a table this small it would rightly prefer them.
"""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from sqlalchemy import select, text

from serviceqa.store import Filters, Store
from serviceqa.store.schema import ConversationRow, EvaluationRow
from tests.store.factory import conversation, evaluation

SINCE = datetime(2026, 11, 1, tzinfo=timezone.utc)
CASES = [
    (Filters(agent_id="a-1"), "ix_conversations_agent_id_started_at_id"),
    (Filters(agent_id="a-1", since=SINCE), "ix_conversations_agent_id_started_at_id"),
    (Filters(team="Almaty"), "ix_conversations_team_started_at_id"),
    (Filters(channel="chat"), "ix_conversations_channel_started_at_id"),
    (Filters(language="kk"), "ix_conversations_language_started_at_id"),
    (Filters(since=SINCE), "ix_conversations_started_at_id"),
    (Filters(min_score=90), "ix_evaluations_final_score"),  # the final score (0009)
    # Probed per conversation (EXISTS) through an index that leads with conversation_id;
    # PostgreSQL may turn that into a semi-join from the other end, by the kind.
    # A primary key is named pk_* on PostgreSQL, sqlite_autoindex_*_1 on SQLite.
    (Filters(failed_criterion="greeting"), "pk_criterion_results|criterion_results_1"),
    (Filters(customer_type="rude"), "pk_customer_types|customer_types_1"),
    (Filters(alert_kind="safety"), "ix_alerts_conversation_id_kind|ix_alerts_kind_created_at_id"),
]


def _plan(store: Store, filters: Filters) -> str:
    query = filters.apply(select(ConversationRow.id).join(
        EvaluationRow, EvaluationRow.conversation_id == ConversationRow.id))
    sql = str(query.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            return "\n".join(str(row[-1]) for row in
                             connection.execute(text(f"EXPLAIN QUERY PLAN {sql}")))
        connection.execute(text("SET enable_seqscan = off"))
        return "\n".join(row[0] for row in connection.execute(text(f"EXPLAIN {sql}")))


@pytest.mark.parametrize(("filters", "index"), CASES, ids=[c[1] + "-" + "+".join(
    k for k, v in vars(c[0]).items() if v is not None) for c in CASES])
def test_filter_uses_its_index(store: Store, filters: Filters, index: str) -> None:
    for i in range(30):
        store.save(conversation(f"c{i}", f"a-{i % 5}"),
                   evaluation(f"c{i}", float(i * 3), criteria={"greeting": "fail"},
                              alerts=["safety"] if i % 7 == 0 else [],
                              types=["rude"] if i % 4 == 0 else []))
    plan = _plan(store, filters)
    assert any(name in plan for name in index.split("|")), plan


def test_a_lone_failed_criterion_count_reads_the_final_result_index(store: Store) -> None:
    """The list's total for `failed_criterion` alone is counted in criterion_results, on
    (criterion_id, final_result): a reviewer's fail counts (migration 0009)."""
    from serviceqa.store import queries

    for i in range(30):
        store.save(conversation(f"c{i}", f"a-{i % 5}"),
                   evaluation(f"c{i}", float(i), criteria={"greeting": "fail", "closing": "na"}))
    count = queries.conversation_page(Filters(failed_criterion="greeting"), False, 10, 0)[1]
    sql = str(count.compile(store.engine, compile_kwargs={"literal_binds": True}))
    with store.engine.connect() as connection:
        if store.engine.dialect.name == "sqlite":
            rows = connection.execute(text(f"EXPLAIN QUERY PLAN {sql}"))
            plan = "\n".join(str(r[-1]) for r in rows)
        else:
            connection.execute(text("SET enable_seqscan = off"))
            plan = "\n".join(r[0] for r in connection.execute(text(f"EXPLAIN {sql}")))
    assert "ix_criterion_results_criterion_id_final_result" in plan, plan
