"""Step 5, checks: YAML rule packs -> Diagnostics (kinds, catalogue, lexicon)."""
