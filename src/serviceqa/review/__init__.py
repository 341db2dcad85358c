"""Human review: reviewers' verdicts, their agreement, and scoring that learns from them."""
