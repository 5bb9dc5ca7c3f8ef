"""What an import found: the problems to fix, and what it changed (or would change)."""

from __future__ import annotations

from dataclasses import dataclass, field

# A problem about the file as a whole (empty, not a CSV file, ...) has no line.
WHOLE_FILE = 0


@dataclass(frozen=True, slots=True)
class ImportProblem:
    """One thing to fix: where (spreadsheet line, column header as in the file) and how.

    ``line`` is the row number a spreadsheet shows, the header being line 1; 0 means the
    file as a whole. ``column`` is the header as written in the file, or None when the
    problem is not about one cell.
    """

    line: int
    column: str | None
    message: str


@dataclass(frozen=True, slots=True)
class ImportChange:
    """One row that creates or updates something: for a dry run's "what would change"."""

    line: int
    action: str  # "create" or "update"
    key: str  # what the row is about, e.g. "85NR 895001" or "TM-2025-00037"
    columns: tuple[str, ...] = ()  # for an update: the changed columns, headers as in the file


@dataclass(frozen=True)
class ImportReport:
    kind: str
    created: int
    updated: int
    unchanged: int
    problems: tuple[ImportProblem, ...]
    dry_run: bool
    rows: int = 0  # data rows read (empty lines not counted)
    changes: tuple[ImportChange, ...] = ()
    ignored_columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def written(self) -> bool:
        """True when this run changed the database."""
        return self.ok and not self.dry_run and bool(self.created or self.updated)


class Problems:
    """Collects problems while a file is checked."""

    def __init__(self) -> None:
        self.items: list[ImportProblem] = []

    def add(self, line: int, column: str | None, message: str) -> None:
        self.items.append(ImportProblem(line, column, message))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def sorted(self, column_order: dict[str, int] | None = None) -> tuple[ImportProblem, ...]:
        order = column_order or {}
        return tuple(sorted(
            self.items,
            key=lambda p: (p.line, -1 if p.column is None else order.get(p.column, 999)),
        ))
