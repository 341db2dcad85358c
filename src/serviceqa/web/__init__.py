"""The HTTP API of the QA workspace (FastAPI): `create_app(db_url)`; routes under /api/v1/."""

from serviceqa.web.app import create_app

__all__ = ["create_app"]
