"""Step 1, read: bytes -> Document (TextBlock / GridBlock with source positions)."""
