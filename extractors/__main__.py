"""`python -m extractors PATH...`: one JSON object per fact on stdout (JSON Lines).

With `--claims`, the figures stated in prose (headline sentences) instead of the table facts.

Issues (what could not be extracted, and why) go to stderr, one per line. The exit status is
1 when any document had an error, so scripts notice; the other documents are still printed.
"""

from __future__ import annotations

import argparse
import json
import sys

from extractors.extract import extract_path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m extractors", description=__doc__)
    parser.add_argument("paths", nargs="+", help="activity reports (.txt text layer or .pdf)")
    parser.add_argument("--claims", action="store_true",
                        help="print the claims (figures stated in sentences) instead of the facts")
    args = parser.parse_args(argv)
    failed = False
    for path in args.paths:
        result = extract_path(path)
        for record in (result.claims if args.claims else result.facts):
            print(json.dumps(record.to_json(), ensure_ascii=False))
        for issue in result.issues:
            print(str(issue) + (f" [{issue.text.strip()}]" if issue.text else ""), file=sys.stderr)
            failed = failed or issue.severity == "error"
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
