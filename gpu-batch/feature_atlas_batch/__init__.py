"""Feature Atlas batch: from a language model's activations to a bundle the edge serves."""

__version__ = "0.1.0"
