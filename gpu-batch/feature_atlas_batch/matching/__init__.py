"""Cross-SAE matching: decoder cosine, one-to-one assignment, explanation cosine, layer similarity."""
