"""Importers: explanations made elsewhere (Neuronpedia exports, delphi results) as bundles."""
