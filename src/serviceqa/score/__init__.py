"""Scorecards and scoring: criteria as expressions over detector findings."""
