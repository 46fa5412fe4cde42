"""Tokenised corpora and captured hookpoint activations."""
