"""Small-cell suppression of the tables shown to partners (the portal, its exports, the
partner version of the PAC report).

A count from 1 to k-1 could point at a person, so it is shown as "< k" (primary
suppression); zero is shown, as in ONS and Eurostat practice. When totals are shown
beside the cells, a hidden count could still be worked out by subtracting the visible
cells of its row or column from the total, so more entries are hidden (secondary
suppression) until none can be. Totals are the exact sums of the true counts.

The rule, to a fixed point:
1. hide every entry (cell or total) from 1 to k-1;
2. while some hidden entry can be worked out from what is shown, hide the visible
   entries that complete the cheapest cycle through it (see below): the fewest totals,
   then the smallest sum of counts. For a hidden cell alone in its row that is the
   smallest other non-zero cell of the row, and the one matching it in another row;
   when the rest of its row is zero, the row's total (a cell of zeros can never carry
   the difference). Zeros are never hidden.

"Worked out" means: knowing every visible figure exactly, that hidden entries are whole
numbers from 0 up, and that one marked "< k" is at most k-1, the entry has one possible
value. A table with its totals is a transportation problem: with the totals' signs
flipped, every row and column of the table bordered by its totals sums to zero, so any
other table that shows the same is this one plus alternating +1/-1 cycles over hidden
entries. An entry has another possible value exactly when such a cycle through it
keeps every entry within its bounds, which a path search finds.

What it does not claim: an attacker who also uses "zero is shown, so '< k' means at
least 1" can, in rare tables, narrow a hidden count further (four categories all
"< 5" whose total is "< 5" are each 1); and the markers tell the two kinds apart, so a
cell hidden in the second step is known to be at least k."""

import heapq
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from django.conf import settings


class Reason(StrEnum):
    SMALL = "small"  # from 1 to k-1, shown as "< k"
    SECONDARY = "secondary"  # hidden so that a small one cannot be worked out


@dataclass(frozen=True)
class Suppressed:
    """A hidden count, in place of the number."""

    k: int
    reason: Reason


type Cell = int | Suppressed


@dataclass(frozen=True)
class SuppressedTable[R: Hashable, C: Hashable]:
    """`cells[row][column]` for every row and column given (a missing cell counts as 0);
    the totals are None when the table is shown without them."""

    k: int
    rows: tuple[R, ...]
    columns: tuple[C, ...]
    cells: dict[R, dict[C, Cell]]
    row_totals: dict[R, Cell] | None
    column_totals: dict[C, Cell] | None
    total: Cell | None


@dataclass(frozen=True)
class SuppressedCounts[K: Hashable]:
    """A one-dimensional breakdown: `counts[key]` and the total (None when not shown)."""

    k: int
    counts: dict[K, Cell]
    total: Cell | None


def small_cell_k(k: int | None = None) -> int:
    """The threshold: `k`, or `settings.SMALL_CELL_K`. Below 3, "< k" would say the
    count exactly (a "< 2" is a 1), so it is refused."""
    value = settings.SMALL_CELL_K if k is None else k
    if value < 3:
        raise ValueError(f"the small-cell threshold must be at least 3, not {value}")
    return value


def suppress_table[R: Hashable, C: Hashable](
    rows: Mapping[R, Mapping[C, int]],
    *,
    k: int | None = None,
    totals: bool = True,
    columns: Iterable[C] | None = None,
) -> SuppressedTable[R, C]:
    """`rows` (row -> column -> count) as a partner may see it, with row, column and
    grand totals when `totals`. The columns are `columns`, or every column key met, in
    the order met."""
    k = small_cell_k(k)
    row_keys = tuple(rows)
    column_keys = tuple(columns) if columns is not None else _keys_in_order(rows.values())
    values = [[_count(rows[row].get(column, 0)) for column in column_keys] for row in row_keys]
    n_rows, n_columns = len(row_keys), len(column_keys)
    grid = _Grid(k)
    for i, line in enumerate(values):
        for j, value in enumerate(line):
            grid.add(("cell", i, j), value, ("row", i), ("col", j), sign=1)
    if totals:
        for i, line in enumerate(values):
            grid.add(("row_total", i), sum(line), ("row", i), ("col", n_columns), sign=-1)
        for j in range(n_columns):
            column_sum = sum(line[j] for line in values)
            grid.add(("col_total", j), column_sum, ("row", n_rows), ("col", j), sign=-1)
        grand = sum(map(sum, values))
        grid.add(("total",), grand, ("row", n_rows), ("col", n_columns), sign=1)
    else:
        grid.free_all()
    shown = grid.solve()
    return SuppressedTable(
        k=k,
        rows=row_keys,
        columns=column_keys,
        cells={
            row: {column: shown[("cell", i, j)] for j, column in enumerate(column_keys)}
            for i, row in enumerate(row_keys)
        },
        row_totals={row: shown[("row_total", i)] for i, row in enumerate(row_keys)}
        if totals
        else None,
        column_totals={column: shown[("col_total", j)] for j, column in enumerate(column_keys)}
        if totals
        else None,
        total=shown[("total",)] if totals else None,
    )


def suppress_counts[K: Hashable](
    counts: Mapping[K, int], *, k: int | None = None, total: bool = True
) -> SuppressedCounts[K]:
    """A breakdown (e.g. attendance by sex) as a partner may see it, with its total when
    `total`: if exactly one count is small, another is hidden too, or the total."""
    k = small_cell_k(k)
    keys = tuple(counts)
    values = [_count(counts[key]) for key in keys]
    grid = _Grid(k)
    # One line, the counts and their total; the other end of each entry is free, since
    # nothing else is shown that they add up to.
    line = ("row", 0) if total else _FREE
    for i, value in enumerate(values):
        grid.add(("cell", i), value, line, _FREE, sign=1)
    if total:
        grid.add(("total",), sum(values), line, _FREE, sign=-1)
    shown = grid.solve()
    return SuppressedCounts(
        k=k,
        counts={key: shown[("cell", i)] for i, key in enumerate(keys)},
        total=shown[("total",)] if total else None,
    )


def cell_value(cell: Cell) -> int | str:
    """A cell for a data file (CSV, XLSX): the number as a number, a hidden count as the
    plain "< k", or "x" for one hidden in the second step."""
    if isinstance(cell, Suppressed):
        return f"< {cell.k}" if cell.reason is Reason.SMALL else SECONDARY_MARK
    return cell


# Statistics Canada's mark for a figure withheld for confidentiality.
SECONDARY_MARK = "x"

type _Key = tuple[object, ...]
type _Node = tuple[str, int]
_FREE: _Node = ("free", 0)


def _count(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"a count must be a whole number from 0 up, not {value!r}")
    return value


def _keys_in_order[C](mappings: Iterable[Mapping[C, int]]) -> tuple[C, ...]:
    seen: dict[C, None] = {}
    for mapping in mappings:
        seen.update(dict.fromkeys(mapping))
    return tuple(seen)


@dataclass
class _Entry:
    key: _Key
    value: int
    row: _Node
    col: _Node
    # +1 for a cell and the grand total, -1 for a row or column total: with that sign,
    # every constrained line of the bordered table sums to zero.
    sign: int
    reason: Reason | None = None
    is_total: bool = False


class _Grid:
    """The entries of a table bordered by its totals, as edges between their row and
    column lines. Lines with no total shown constrain nothing: they are all one free
    node, which a cycle may pass through."""

    def __init__(self, k: int) -> None:
        self.k = k
        self.entries: list[_Entry] = []

    def add(self, key: _Key, value: int, row: _Node, col: _Node, *, sign: int) -> None:
        is_total = key[0] != "cell"
        self.entries.append(_Entry(key, value, row, col, sign, is_total=is_total))

    def free_all(self) -> None:
        for entry in self.entries:
            entry.row = entry.col = _FREE

    def solve(self) -> dict[_Key, Cell]:
        for entry in self.entries:
            if 0 < entry.value < self.k:
                entry.reason = Reason.SMALL
        # First against a reader who uses every bound the marks give away; an entry no
        # cycle can protect from that reader is still protected from the plain one.
        # Hiding more only adds cycles, so an entry once safe stays safe.
        given_up: set[int] = set()
        safe: set[tuple[int, bool]] = set()
        while True:
            exposed = None
            for i, e in enumerate(self.entries):
                for strict in (False, True):
                    if e.reason is None or (i, strict) in safe or (strict and i in given_up):
                        continue
                    if self._cycle(e, strict=strict) is None:
                        exposed = (i, strict)
                        break
                    safe.add((i, strict))
                if exposed:
                    break
            if exposed is None:
                break
            i, strict = exposed
            found = self._cycle(self.entries[i], strict=strict, hide=True)
            if found is None:
                # Only possible for the strict reader: hiding all that is not zero
                # always protects from the plain one (lower a cell with its totals).
                given_up.add(i)
                continue
            for entry in found:
                entry.reason = Reason.SECONDARY
        return {
            entry.key: entry.value if entry.reason is None else Suppressed(self.k, entry.reason)
            for entry in self.entries
        }

    def _bounds(self, entry: _Entry, *, strict: bool) -> tuple[int, int | None]:
        """What a reader knows of a hidden entry: from 0 up, at most k-1 when marked
        "< k"; a strict reader also knows that zeros are shown (so "< k" is at least
        1) and that an entry hidden in the second step, or about to be, is at least k."""
        if entry.reason is Reason.SMALL:
            return (1 if strict else 0), self.k - 1
        return (self.k if strict else 0), None

    def _can_move(self, entry: _Entry, step: int, *, strict: bool) -> bool:
        """Whether the entry's signed value can move by `step` within its bounds."""
        value = entry.value + step * entry.sign
        lower, upper = self._bounds(entry, strict=strict)
        return value >= lower and (upper is None or value <= upper)

    def _cycle(self, target: _Entry, *, strict: bool, hide: bool = False) -> list[_Entry] | None:
        """The entries to hide so that a cycle through the hidden `target`, +1 and -1
        in turn, keeps every hidden entry within its bounds, so that `target` has
        another possible value; [] when one exists already, None when none can.
        With `hide`, visible non-zero entries may join the cycle, the cheapest first:
        fewest totals, then the smallest sum. Zeros stay shown, so never join."""
        best: tuple[tuple[int, int], list[_Entry]] | None = None
        for step in (1, -1):
            if not self._can_move(target, step, strict=strict):
                continue
            # +1 goes from the row to the column, -1 back; the path closes the cycle.
            start, goal = (target.col, target.row) if step == 1 else (target.row, target.col)
            found = self._cheapest_path(start, goal, skip=target, strict=strict, hide=hide)
            if found is not None and (best is None or found[0] < best[0]):
                best = found
        return None if best is None else best[1]

    def _cheapest_path(
        self, start: _Node, goal: _Node, *, skip: _Entry, strict: bool, hide: bool
    ) -> tuple[tuple[int, int], list[_Entry]] | None:
        arcs: dict[_Node, list[tuple[_Node, tuple[int, int], _Entry]]] = {}
        for entry in self.entries:
            if entry is skip:
                continue
            cost = (0, 0)
            if entry.reason is None:
                if not hide or entry.value == 0:
                    continue
                cost = (int(entry.is_total), entry.value)
            if self._can_move(entry, 1, strict=strict):
                arcs.setdefault(entry.row, []).append((entry.col, cost, entry))
            if self._can_move(entry, -1, strict=strict):
                arcs.setdefault(entry.col, []).append((entry.row, cost, entry))
        done: set[_Node] = set()
        heap: list[tuple[tuple[int, int], int, _Node, list[_Entry]]] = [((0, 0), 0, start, [])]
        order = 0
        while heap:
            cost, _, node, path = heapq.heappop(heap)
            if node == goal:
                return cost, [entry for entry in path if entry.reason is None]
            if node in done:
                continue
            done.add(node)
            for nxt, step_cost, entry in arcs.get(node, ()):
                if nxt not in done:
                    order += 1
                    total = (cost[0] + step_cost[0], cost[1] + step_cost[1])
                    heapq.heappush(heap, (total, order, nxt, [*path, entry]))
        return None
