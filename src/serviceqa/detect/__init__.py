"""Detectors: small registered classes that find evidence in an Analysis."""
