"""How long `matching.text.tokens` takes on a student's profile text of about fifty words.

    python -m benchmarks.text_tokens

The scorer tokenises every student's text when it vectorises a cohort, so this is paid
100,000 times in a full round. Prints the time per text, cold (first call) and warm (word
caches filled, as in a running round).
"""

from __future__ import annotations

import time

from matching.text import tokens

from .environment import print_environment

TEXT = (
    "Ik ben een enthousiaste leerling die graag sleutelt aan auto's en brommers. Later wil "
    "ik onderhoudsmonteur worden of iets in de installatietechniek doen, bijvoorbeeld "
    "zonnepanelen leggen bij een installatiebedrijf. Ik heb stage gelopen bij een garage en "
    "vond dat heel erg leuk werk, vooral het werken met elektro en cv-ketels."
)


def main() -> None:
    print_environment()
    started = time.perf_counter()
    tokens(TEXT)
    cold = time.perf_counter() - started
    runs = 2_000
    started = time.perf_counter()
    for _ in range(runs):
        tokens(TEXT)
    warm = (time.perf_counter() - started) / runs
    print(f"{len(TEXT.split())} words: cold {cold * 1000:.2f} ms, warm {warm * 1000:.3f} ms "
          f"per text ({runs:,} runs)")


if __name__ == "__main__":
    main()
