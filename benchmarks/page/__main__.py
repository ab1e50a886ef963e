"""``python -m benchmarks.page``: the command line (see the package's docstring)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from chromium import CHROMIUM

from . import __doc__ as package_doc
from .goals import check_targets
from .measure import measure
from .report import network_table, printed_table, report, table, variants_table
from .site_build import ROOT

RESULTS = ROOT / "benchmarks" / "results" / "latest.json"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=package_doc.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs (default 5)")
    parser.add_argument(
        "--quick", action="store_true", help="one run, no serving variants, no boot profile"
    )
    parser.add_argument(
        "--no-variants",
        action="store_true",
        help="skip the page served without gzip / without isolation",
    )
    parser.add_argument("--no-profile", action="store_true", help="skip the worker boot profile")
    parser.add_argument(
        "--no-network", action="store_true", help="skip the visits over a simulated link"
    )
    parser.add_argument("--out", type=Path, default=RESULTS, help=f"JSON file (default {RESULTS})")
    parser.add_argument(
        "--report", action="store_true", help="print the saved results' report again and exit"
    )
    parser.add_argument(
        "--markdown",
        action="store_true",
        help="print the saved results as Markdown tables and exit",
    )
    args = parser.parse_args(argv)
    if args.report:
        print(report(json.loads(args.out.read_text())))
        return
    if args.markdown:
        results = json.loads(args.out.read_text())
        print(table(results, markdown=True))
        if results.get("variants_summary"):
            print()
            print(variants_table(results, markdown=True))
        if results.get("network_summary"):
            print()
            print(network_table(results, markdown=True))
        if results.get("printed_latency_summary"):
            print()
            print(printed_table(results, markdown=True))
        return
    if not CHROMIUM.exists():
        raise SystemExit(f"{CHROMIUM} is missing: apt-get install chromium")
    runs = 1 if args.quick else args.runs
    results = measure(
        runs,
        variants=not (args.quick or args.no_variants),
        profile=not (args.quick or args.no_profile),
        network=not args.no_network,
    )
    results["targets"] = check_targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n")
    print()
    print(report(results))
    print(f"\nsaved {args.out}")


if __name__ == "__main__":
    main()
