"""Sparse autoencoders: TopK training, and loaders for pretrained SAEs."""
