"""Reduces a schemathesis JSON run report to the figures scripts/fuzz.sh prints
and keeps: cases generated, failing cases, failures by check and operation.

    python test/fuzz/summarize.py <json report> <summary out>
"""

import json
import sys
from pathlib import Path


def summarize(report: dict) -> dict:
    cases = report.get("test_cases", {})
    return {
        "schemathesis": report.get("schemathesis_version"),
        "seed": report.get("seed"),
        "seconds": round(report.get("running_time", 0.0), 1),
        "stopReason": report.get("stop_reason"),
        "operations": report.get("operations", {}).get("tested"),
        "casesGenerated": cases.get("generated", 0),
        "casesWithFailures": cases.get("with_failures", 0),
        "uniqueFailures": cases.get("unique_failures", 0),
        "errored": cases.get("errored", 0),
        "failures": [
            {"check": f.get("title"), "code": f.get("code"), "count": f.get("count"), "operations": f.get("operations", [])}
            for f in report.get("failures", [])
        ],
        "errors": report.get("errors", []),
        "phases": {name: p.get("status") for name, p in report.get("phases", {}).items()},
        # Operations whose generated data mostly drew 404 or 400: reached less deeply.
        "warnings": {name: ops for name, ops in report.get("warnings", {}).items() if ops},
    }


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    summary = summarize(json.loads(Path(sys.argv[1]).read_text()))
    Path(sys.argv[2]).write_text(json.dumps(summary, indent=2) + "\n")
    print(
        f"fuzz: {summary['operations']} operations, {summary['casesGenerated']} cases in {summary['seconds']} s, "
        f"{summary['uniqueFailures']} unique failures, {len(summary['errors'])} kinds of runtime error"
    )
    for f in summary["failures"]:
        print(f"  {f['code']} {f['check']} x{f['count']}: {', '.join(f['operations'])}")
    for e in summary["errors"]:
        print(f"  error: {e.get('title')} x{e.get('count')}")
    for name, ops in summary["warnings"].items():
        print(f"  warning {name}: {len(ops)} operations")
    return 0


if __name__ == "__main__":
    sys.exit(main())
