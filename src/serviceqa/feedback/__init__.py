"""Customer feedback: survey responses, CSAT and NPS figures, and the follow-ups they call for."""
