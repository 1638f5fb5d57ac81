"""Step 3, structure: lines -> Report (title, sections, signature), profile and agency."""
