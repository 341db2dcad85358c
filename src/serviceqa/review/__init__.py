"""Human review: grading conversations, assignment queues, disputes, calibration, coaching,
and the agreement statistics between raters."""
