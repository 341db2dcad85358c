"""The app factory: `create_app(db_url)` gives the FastAPI app of one workspace database."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from anyio import to_thread
from fastapi import FastAPI

from serviceqa import __version__
from serviceqa.store import Store
from serviceqa.web import errors, pages, pages_review
from serviceqa.web.routers import ROUTERS
from serviceqa.workspace import Workspace

API_PREFIX = "/api/v1"
# Handlers run in a thread pool (40 threads by default), each holding a database
# connection; SQLAlchemy's pool has 5 + 10. Fewer threads than connections makes a burst
# of slow reports wait its turn instead of failing on the pool's 30 s timeout (HTTP 500).
DB_THREADS = 8


def create_app(db_url: str, *, secure_cookies: bool = True, upgrade: bool = True) -> FastAPI:
    """`secure_cookies=False` only for plain-http localhost (browsers drop Secure cookies
    sent over http from other hosts). `upgrade` migrates the database first."""
    store = Store(db_url)
    if upgrade:
        store.upgrade()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        to_thread.current_default_thread_limiter().total_tokens = DB_THREADS
        yield
        store.close()

    app = FastAPI(title="ServiceQA", version=__version__,
                  description="Multilingual customer-service QA workspace API",
                  openapi_url="/openapi.json", lifespan=lifespan)
    app.state.workspace = Workspace(store)
    app.state.secure_cookies = secure_cookies
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    pages.install(app)
    pages_review.install(app)
    return app
