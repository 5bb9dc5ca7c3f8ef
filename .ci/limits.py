"""Size and complexity limits of the house style, checked in CI.

No module over 400 lines (data modules and migrations aside: their length is their content),
no function or method above cyclomatic complexity 20 (radon). Prints every offender and exits
1 when there is one.
"""

from __future__ import annotations

import sys
from pathlib import Path

from radon.complexity import cc_visit

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("app", "matching", "seeds", "benchmarks")
MAX_LINES = 400
MAX_COMPLEXITY = 20
# Modules that are data, not logic (word lists, tables), may be longer; none is today.
DATA_MODULES: set[str] = set()


def offenders() -> list[str]:
    found = []
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            name = path.relative_to(ROOT).as_posix()
            text = path.read_text(encoding="utf-8")
            lines = text.count("\n")
            if lines > MAX_LINES and name not in DATA_MODULES:
                found.append(f"{name}: {lines} lines (at most {MAX_LINES})")
            for block in cc_visit(text):
                if block.complexity > MAX_COMPLEXITY:
                    found.append(f"{name}:{block.lineno} {block.fullname}: complexity "
                                 f"{block.complexity} (at most {MAX_COMPLEXITY})")
    return found


if __name__ == "__main__":
    problems = offenders()
    print("\n".join(problems) or "every module within 400 lines, every function within "
          "complexity 20")
    sys.exit(1 if problems else 0)
