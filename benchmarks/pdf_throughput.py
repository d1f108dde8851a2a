"""PDF extraction throughput (pages/s): our pdfplumber reader, full extraction, and pdftotext.

Renders a corpus of synthetic activity-report PDFs (sample_inputs, ~15 pages each) into a
temporary directory, then times, best of --repeat passes over the whole corpus:

  (a) read_pdf_lines   the pdfplumber line reader alone (extractors/pdf_lines.py)
  (b) extract_path     the full extraction: read + parse into facts (extractors/extract.py)
  (c) pdftotext        poppler's `pdftotext -layout FILE -`, one process per file, output
                       discarded, on the same files (skipped, with a note, when not installed)

Prints a plain-text table, the page count and the peak RSS. A script that prints figures;
nothing here asserts on time.

    .venv/bin/python -m benchmarks.pdf_throughput [--documents N] [--repeat R]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if not __package__:  # run as `python benchmarks/pdf_throughput.py`: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks._corpus import describe, editions, machine_line, peak_rss_mib, render_corpus, table
from extractors.extract import extract_path
from extractors.pdf_lines import read_pdf_lines

DEFAULT_DOCUMENTS = 12  # 12 sample reports of ~15 pages: 180 pages (at least 50 wanted)


def best_of(repeat: int, one_pass: Callable[[], object]) -> list[float]:
    """Wall time (perf_counter) of each of `repeat` passes."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        one_pass()
        times.append(time.perf_counter() - start)
    return times


def pdftotext_peak_rss_mib(pdftotext: str, paths: list[Path]) -> float | None:
    """Largest peak RSS of one pdftotext process, via GNU time in an extra, untimed pass.

    getrusage(RUSAGE_CHILDREN) cannot give it: a child forked from this process starts with
    this process's high-water mark, which Linux keeps across exec. GNU time forks pdftotext
    from a small process and reports the child's own figure (%M, KiB).
    """
    gnu_time = Path("/usr/bin/time")
    if not gnu_time.is_file():
        return None
    peaks = []
    for path in paths:
        done = subprocess.run([str(gnu_time), "-f", "%M", pdftotext, "-layout", "-q", str(path), "-"],
                              check=False, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        last = done.stderr.strip().splitlines()[-1:] or [""]
        if done.returncode != 0 or not last[0].isdigit():
            return None
        peaks.append(int(last[0]) / 1024)
    return max(peaks)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.pdf_throughput",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--documents", type=int, default=DEFAULT_DOCUMENTS,
                        help=f"sample PDFs to render (about 15 pages each; default {DEFAULT_DOCUMENTS})")
    parser.add_argument("--repeat", type=int, default=3, help="passes per measure; the best is kept "
                                                              "(default 3)")
    args = parser.parse_args(argv)
    if args.documents < 1 or args.repeat < 1:
        parser.error("--documents and --repeat must be at least 1")

    print(f"PDF extraction throughput — {machine_line()}")
    with tempfile.TemporaryDirectory(prefix="mlw-bench-pdf-") as tmp:
        paths = render_corpus(Path(tmp), args.documents)
        pages_per_doc = [read_pdf_lines(path)[1] for path in paths]
        pages = sum(pages_per_doc)
        size_kib = sum(path.stat().st_size for path in paths) / 1024
        print(f"corpus: {len(paths)} PDFs, {pages} pages, {size_kib:.0f} KiB "
              f"(sample_inputs, {describe(editions(args.documents))}); best of {args.repeat} passes")
        rss_before = peak_rss_mib()

        rows: list[list[str]] = []

        def add(label: str, times: list[float], rss: str) -> None:
            best = min(times)
            rows.append([label, f"{best:.3f}", f"{pages / best:.1f}", f"{len(paths) / best:.1f}",
                         f"{1000 * best / pages:.2f}", rss, " ".join(f"{t:.3f}" for t in times)])

        read_times = best_of(args.repeat, lambda: [read_pdf_lines(p) for p in paths])
        add("(a) read_pdf_lines (pdfplumber)", read_times, f"{peak_rss_mib():.0f}")

        results: list = []

        def extract_all() -> None:
            results[:] = [extract_path(p) for p in paths]

        extract_times = best_of(args.repeat, extract_all)
        add("(b) extract_path (read + parse)", extract_times, f"{peak_rss_mib():.0f}")

        pdftotext = shutil.which("pdftotext")
        if pdftotext:
            def run_pdftotext() -> None:
                for path in paths:
                    subprocess.run([pdftotext, "-layout", "-q", str(path), "-"], check=True,
                                   stdout=subprocess.DEVNULL)

            poppler_times = best_of(args.repeat, run_pdftotext)
            poppler_rss = pdftotext_peak_rss_mib(pdftotext, paths)
            add("(c) pdftotext -layout (poppler)", poppler_times,
                f"{poppler_rss:.0f}" if poppler_rss is not None else "n/a")

    print()
    print(table(["measure", "best s", "pages/s", "docs/s", "ms/page", "peak RSS MiB", "all passes s"],
                rows))
    print()
    facts = sum(len(r.facts) for r in results)
    errors = sum(len(r.errors) for r in results)
    print(f"pages: {pages}   facts extracted per pass: {facts}   extraction errors: {errors}")
    print(f"peak RSS: {peak_rss_mib():.0f} MiB for this Python process "
          f"({rss_before:.0f} MiB after imports and rendering, before timing); "
          + ("pdftotext row: largest single pdftotext process, measured with /usr/bin/time -f %M"
             if pdftotext else "pdftotext not run"))
    print("(rows (a) and (b) show this process's high-water mark so far, so (b) includes (a))")
    if pdftotext:
        poppler_best, ours_best = min(poppler_times), min(extract_times)
        print(f"pdftotext is {ours_best / poppler_best:.1f}x the pages/s of extract_path and "
              f"{min(read_times) / poppler_best:.1f}x that of read_pdf_lines "
              "(pdftotext times include one process start per file)")
    else:
        print("pdftotext: NOT FOUND on PATH — comparison (c) skipped. Install poppler: "
              "`apt-get install poppler-utils` (Debian/Ubuntu), `brew install poppler` (macOS).")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
