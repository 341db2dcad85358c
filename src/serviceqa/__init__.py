"""ServiceQA: multilingual quality assurance for customer-service conversations."""

__version__ = "0.1.0"
