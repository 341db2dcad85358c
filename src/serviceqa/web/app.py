"""The app factory: `create_app(db_url)` gives the FastAPI app of one workspace database."""

from __future__ import annotations

from fastapi import FastAPI

from serviceqa import __version__
from serviceqa.store import Store
from serviceqa.web import errors, pages
from serviceqa.web.routers import ROUTERS
from serviceqa.workspace import Workspace

API_PREFIX = "/api/v1"


def create_app(db_url: str, *, secure_cookies: bool = True, upgrade: bool = True) -> FastAPI:
    """`secure_cookies=False` only for plain-http localhost (browsers drop Secure cookies
    sent over http from other hosts). `upgrade` migrates the database first."""
    store = Store(db_url)
    if upgrade:
        store.upgrade()
    app = FastAPI(title="ServiceQA", version=__version__,
                  description="Multilingual customer-service QA workspace API",
                  openapi_url="/openapi.json")
    app.state.workspace = Workspace(store)
    app.state.secure_cookies = secure_cookies
    errors.install(app)
    for router in ROUTERS:
        app.include_router(router, prefix=API_PREFIX)
    pages.install(app)
    return app
