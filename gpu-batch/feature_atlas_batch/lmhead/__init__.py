"""LM-head decoding: neuron and latent directions projected through the final norm and the unembedding."""
