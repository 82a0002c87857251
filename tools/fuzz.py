"""Fuzz vizkit: run every property test again and again with new random examples.

``make fuzz`` (``FUZZ_MINUTES=20`` by default) calls this. Each round is one
pytest run of the tests marked ``hypothesis`` under the ``fuzz`` profile (the
root ``conftest.py``): random examples, ten times as many per test as
``make test`` tries, shrinking on. Rounds repeat until the time is up; each
round's failures are printed, with the shrunk example and a reproduction blob,
and the command exits non-zero if any round failed. Hypothesis' database
(``.hypothesis/``) keeps what failed, so the next fuzz round tries it first;
``make test`` never reads it: fix a finding with a regression test.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=20.0, help="how long to fuzz (default 20)")
    parser.add_argument("pytest_args", nargs="*", help="extra pytest arguments, e.g. a test file")
    args = parser.parse_args(argv)

    env = dict(os.environ, VIZKIT_HYPOTHESIS_PROFILE="fuzz")
    command = [sys.executable, "-m", "pytest", "-m", "hypothesis", "-q", "-p", "no:randomly",
               "--no-header", "-rfE", *args.pytest_args]
    start = time.monotonic()
    deadline = start + 60 * args.minutes
    rounds = failed = 0
    while time.monotonic() < deadline:
        rounds += 1
        print(f"--- fuzz round {rounds} ({(time.monotonic() - start) / 60:.1f} of {args.minutes:g} min)", flush=True)
        result = subprocess.run(command, env=env)
        if result.returncode not in (0, 5):
            failed += 1
    minutes = (time.monotonic() - start) / 60
    print(f"fuzzed {minutes:.1f} min in {rounds} rounds: {failed} round(s) failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
