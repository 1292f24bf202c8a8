"""How long and how much memory each hostile partner file costs before it is refused (or read):
python -m benchmarks.hostile_files [--timeout 60] [--memory-mb 4096]

Each file (tests/imports/hostile.py) is read by imports.reading in a child process of its own, so a file that
runs away is stopped at the timeout or the memory cap instead of taking the machine with it. Prints the outcome
(the message, or the rows read), wall time, and the child's peak resident memory with what it held before
reading (Django and the file's bytes). No database.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import resource
import tempfile
import time

from benchmarks import production_settings

ALSO_READ = {"huge declared sheet": "huge_declared_sheet"}


def _read(path: str, memory_mb: int, results) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, memory_mb * 1024 * 1024))
    import django

    production_settings()
    django.setup()
    from imports.reading import FileError, read_table

    with open(path, "rb") as file:
        content = file.read()
    baseline = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    start = time.perf_counter()
    try:
        table = read_table(content)
        outcome = f"read {sum(1 for _ in table.rows)} rows"
    except FileError as exc:
        outcome = f"refused: {exc}"
    except MemoryError:
        outcome = f"out of memory at {memory_mb} MB"
    except Exception as exc:  # what a page would answer with a 500
        outcome = f"ERROR {type(exc).__name__}: {str(exc)[:80]}"
    results.put((outcome, time.perf_counter() - start, baseline,
                 resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory-mb", type=int, default=4096)
    args = parser.parse_args()
    production_settings()
    import django

    django.setup()
    from tests.imports import hostile

    print(f"{'file':<36} {'size':>9} {'seconds':>8} {'peak RSS':>9} {'(before)':>9}  outcome")
    with tempfile.TemporaryDirectory() as folder:
        for kind in [*hostile.REFUSED, *ALSO_READ]:
            content = getattr(hostile, ALSO_READ[kind])() if kind in ALSO_READ else hostile.REFUSED[kind]()
            path = os.path.join(folder, "file")
            with open(path, "wb") as file:
                file.write(content)
            results = multiprocessing.Queue()
            child = multiprocessing.Process(target=_read, args=(path, args.memory_mb, results))
            child.start()
            child.join(args.timeout)
            size = f"{len(content) / 1024:>7.0f} KB"
            if child.is_alive():
                child.kill()
                print(f"{kind:<36} {size} {'>' + str(int(args.timeout)):>8} {'':>9} {'':>9}  still running: stopped")
            elif results.empty():
                print(f"{kind:<36} {size} {'':>8} {'':>9} {'':>9}  the reader died (exit {child.exitcode})")
            else:
                outcome, seconds, baseline, rss = results.get()
                print(f"{kind:<36} {size} {seconds:>8.2f} {rss:>6.0f} MB {baseline:>6.0f} MB  {outcome[:80]}", flush=True)

if __name__ == "__main__":
    main()
