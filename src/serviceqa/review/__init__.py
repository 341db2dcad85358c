"""Human review: grading conversations, assignment queues, disputes, calibration, coaching."""
