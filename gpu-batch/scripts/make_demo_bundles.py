"""Write the demo bundles served by the local demo, from the shared real data.

    python scripts/make_demo_bundles.py [--data DIR] [--out DIR] [--only gemma|delphi]

demo/bundles/gemma-2-2b-gemmascope-res-16k/  Neuronpedia export of Gemma Scope explanations
demo/bundles/gpt2-small-delphi/              EleutherAI delphi results for GPT-2 small
Licences and origins: demo/README.md and demo/licenses/.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from feature_atlas_batch.embed.sentence import SentenceEmbedder
from feature_atlas_batch.importers.delphi import import_delphi_results
from feature_atlas_batch.importers.neuronpedia import import_neuronpedia_export
from feature_atlas_batch.importers.presets import GEMMA_2_2B, GEMMASCOPE_20_RES_16K, GPT2_SMALL

REPO = Path(__file__).resolve().parents[2]
# Fixed so that re-running on the same data rewrites the same bytes.
CREATED_AT = "2026-11-24T00:00:00Z"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=REPO.parent / "shared" / "data",
                        help="folder holding the shared data (default: ../shared/data beside the repo)")
    parser.add_argument("--out", type=Path, default=REPO / "demo" / "bundles")
    parser.add_argument("--only", choices=("gemma", "delphi"))
    args = parser.parse_args()
    embedder = SentenceEmbedder()

    if args.only in (None, "gemma"):
        report = import_neuronpedia_export(
            args.data / "gemma-2-2b-20-gemmascope-res-16k.explanations.jsonl",
            args.out / "gemma-2-2b-gemmascope-res-16k",
            bundle_id="gemma-2-2b-gemmascope-res-16k-demo",
            model=GEMMA_2_2B,
            saes=[GEMMASCOPE_20_RES_16K],
            embedder=embedder,
            origin=("Neuronpedia export of gpt-4o-mini explanations of the Gemma Scope layer-20 residual SAE "
                    "(16k latents), from the file demo/gemma-2-2b_20-gemmascope-res-16k.json of stanfordnlp/axbench"),
            license="Apache-2.0",
            created_at=CREATED_AT,
            overwrite=True,
        )
        print(report.summary())

    if args.only in (None, "delphi"):
        report = import_delphi_results(
            args.data / "delphi-gpt2",
            args.out / "gpt2-small-delphi",
            bundle_id="gpt2-small-delphi-demo",
            model=GPT2_SMALL,
            embedder=embedder,
            origin_prefix="EleutherAI/delphi at commit 6933cd4, directory results/ (GPT-2 small SAE latents)",
            license="Apache-2.0",
            created_at=CREATED_AT,
            overwrite=True,
        )
        print(report.summary())


if __name__ == "__main__":
    main()
