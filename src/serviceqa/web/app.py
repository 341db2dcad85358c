"""The app factory: `create_app(db_url)` gives the FastAPI app of one workspace database."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from serviceqa import __version__
from serviceqa.feedback.service import Feedback
from serviceqa.scoring_pool import ScoringPool
from serviceqa.store import Store
from serviceqa.web import errors, pages, pages_feedback, pages_review
from serviceqa.web.routers import ROUTERS
from serviceqa.workspace import Workspace

API_PREFIX = "/api/v1"
# Handlers run in a thread pool (40 threads by default), each holding a database
# connection; SQLAlchemy's pool has 5 + 10. Fewer threads than connections makes a burst
# of slow reports wait its turn instead of failing on the pool's 30 s timeout (HTTP 500).
DB_THREADS = 8


def create_app(db_url: str, *, secure_cookies: bool = True, upgrade: bool = True,
               scoring_processes: int = 0) -> FastAPI:
    """`secure_cookies=False` only for plain-http localhost (browsers drop Secure cookies
    sent over http from other hosts). `upgrade` migrates the database first.
    `scoring_processes`: score ingested conversations on a pool of that many processes
    (0: in the server's process)."""
    store = Store(db_url)
    if upgrade:
        store.upgrade()
    pool = ScoringPool(scoring_processes) if scoring_processes > 0 else None

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = DB_THREADS
        yield
        if pool is not None:
            pool.close()
        store.close()

    app = FastAPI(title="ServiceQA", version=__version__,
                  description="Multilingual customer-service QA workspace API",
                  openapi_url="/openapi.json", lifespan=lifespan)
    app.state.workspace = Workspace(store, pool)
    app.state.feedback = Feedback(store)
    # Follow-up rules over what the API stores (answers owed, incidents).
    app.state.workspace.after_store.append(app.state.feedback.conversation_tasks)
    app.state.secure_cookies = secure_cookies
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    pages.install(app)
    pages_feedback.install(app)
    pages_review.install(app)
    return app


SERVE_DB, SERVE_SECURE = "SERVICEQA_SERVE_DB", "SERVICEQA_SERVE_SECURE_COOKIES"
SERVE_SCORING = "SERVICEQA_SERVE_SCORING_PROCESSES"


def app_from_environment() -> FastAPI:
    """The app of `serviceqa serve --workers N`: each uvicorn worker process imports this
    factory and reads its settings from the environment the parent set (the database is
    migrated once, by the parent, before the workers start)."""
    app = create_app(os.environ[SERVE_DB], secure_cookies=os.environ.get(SERVE_SECURE) == "1",
                     upgrade=False, scoring_processes=int(os.environ.get(SERVE_SCORING, "0")))
    warm_up(app)
    return app


def warm_up(app: FastAPI) -> None:
    """Load language packs (and start the scoring pool) before the first request, so
    that none waits seconds for them. Then move what is loaded out of the garbage
    collector's sight: every full collection walked the packs' millions of objects, a
    pause of a few hundred ms that the requests of the moment waited through (the p95 of
    the lists)."""
    from serviceqa.lang.analysis import warm_up as load_packs
    from serviceqa.run import freeze_loaded_data

    load_packs()
    app.state.feedback.warm_up()
    if app.state.workspace.pool is not None:
        app.state.workspace.pool.warm_up()
    freeze_loaded_data()
