"""One router per resource; `ROUTERS` is mounted under /api/v1 by the app factory."""

from serviceqa.web.routers import (agents, alerts, auth, calibration, coaching, conversations,
                                   disputes, evaluations, feedback, health, models, reports,
                                   reviews, scorecards, survey_public, tasks, users, webhooks)

ROUTERS = [health.router, auth.router, conversations.router, evaluations.router,
           scorecards.router, agents.router, alerts.router, reports.router, users.router,
           webhooks.router, feedback.router, tasks.router, survey_public.router,
           reviews.router, disputes.router, calibration.router, coaching.router,
           models.router]
