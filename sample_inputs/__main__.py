"""`python -m sample_inputs OUT_DIR [--seed N]`: write the sample activity reports."""

from __future__ import annotations

import argparse

from sample_inputs import DEFAULT_SEED, write_samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m sample_inputs",
        description="Write synthetic ML MNO activity reports (2022 as PDF, 2023 as text).",
    )
    parser.add_argument("out_dir", help="directory to write the samples into (created if needed)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED,
                        help=f"figures seed (default {DEFAULT_SEED}); same seed, same files")
    args = parser.parse_args(argv)
    for path in write_samples(args.out_dir, args.seed):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
