"""One object with every review service of a workspace, for the API, pages and CLI."""

from __future__ import annotations

from serviceqa.review.calibration import Calibration
from serviceqa.review.coaching import Coaching
from serviceqa.review.disputes import Disputes
from serviceqa.review.queues import Queues
from serviceqa.review.reviews import Reviews
from serviceqa.workspace import Workspace


class ReviewDesk:
    """Cheap to make: the services hold only the workspace and its engine."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.reviews = Reviews(ws)
        self.disputes = Disputes(self.reviews)
        self.calibration = Calibration(self.reviews)
        self.queues = Queues(ws)
        self.coaching = Coaching(ws)
