"""Language data and analysis: identification, normalisation, lemmas, phrase matching."""
