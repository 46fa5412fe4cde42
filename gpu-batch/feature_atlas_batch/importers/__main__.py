"""Import explanations made elsewhere as a bundle.

    python -m feature_atlas_batch.importers neuronpedia EXPORT.jsonl OUT --bundle-id ID --preset gemma-2-2b-20-gemmascope-res-16k
    python -m feature_atlas_batch.importers delphi RESULTS_DIR OUT --bundle-id ID --preset gpt2-small
"""

from __future__ import annotations

import argparse
from pathlib import Path

from .presets import GEMMA_2_2B, GEMMASCOPE_20_RES_16K, GPT2_SMALL

NEURONPEDIA_PRESETS = {"gemma-2-2b-20-gemmascope-res-16k": (GEMMA_2_2B, [GEMMASCOPE_20_RES_16K])}
DELPHI_PRESETS = {"gpt2-small": GPT2_SMALL}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m feature_atlas_batch.importers", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="kind", required=True)
    np_ = sub.add_parser("neuronpedia", help="a Neuronpedia explanation export (JSONL)")
    np_.add_argument("--preset", choices=sorted(NEURONPEDIA_PRESETS), required=True)
    dl = sub.add_parser("delphi", help="a delphi results directory")
    dl.add_argument("--preset", choices=sorted(DELPHI_PRESETS), required=True)
    dl.add_argument("--explainer", default="unknown", help="the explainer LLM, when known (the results do not say)")
    for p in (np_, dl):
        p.add_argument("source", type=Path)
        p.add_argument("out", type=Path)
        p.add_argument("--bundle-id", required=True)
        p.add_argument("--origin", default=None, help="free text for the manifest's source.origin")
        p.add_argument("--license", default=None)
        p.add_argument("--overwrite", action="store_true")
        p.add_argument("--embedding-model-dir", default=None, help="a local sentence-transformers folder")
    args = parser.parse_args(argv)

    from ..embed.sentence import SentenceEmbedder

    embedder = SentenceEmbedder(args.embedding_model_dir)
    origin = args.origin or str(args.source.name)
    if args.kind == "neuronpedia":
        from .neuronpedia import import_neuronpedia_export

        model, saes = NEURONPEDIA_PRESETS[args.preset]
        report = import_neuronpedia_export(args.source, args.out, bundle_id=args.bundle_id, model=model, saes=saes,
                                           embedder=embedder, origin=origin, license=args.license,
                                           overwrite=args.overwrite)
    else:
        from .delphi import import_delphi_results

        report = import_delphi_results(args.source, args.out, bundle_id=args.bundle_id,
                                       model=DELPHI_PRESETS[args.preset], embedder=embedder, origin_prefix=origin,
                                       license=args.license, explainer=args.explainer, overwrite=args.overwrite)
    print(report.summary())


if __name__ == "__main__":
    main()
