"""Step 2, text: normalised text with an offset map back to the source; numbers, dates, prose runs."""
