"""Latent statistics, sparse activation storage, and example contexts for explaining and scoring."""
