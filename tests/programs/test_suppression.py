"""Small-cell suppression of the figures partners see: counts from 1 to k-1 show as
"< k", and none of them can be worked out from the totals, rows or columns beside it.

The property tests check the published tables against an independent brute-force
search: for every hidden entry, another table of whole numbers that shows exactly the
same (visible figures, "< k" marks at most k-1, totals the sums of their cells) with a
different value there."""

import os
import subprocess
import sys
from collections.abc import Hashable, Mapping
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import override_settings
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from programs.suppression import (
    Cell,
    Reason,
    Suppressed,
    SuppressedTable,
    cell_value,
    suppress_counts,
    suppress_table,
)

ROOT = Path(__file__).resolve().parents[2]
SMALL = Suppressed(5, Reason.SMALL)
HIDDEN = Suppressed(5, Reason.SECONDARY)


def shown(cells: Mapping[Hashable, Cell]) -> dict[Hashable, int | str]:
    return {key: cell_value(value) for key, value in cells.items()}


# --- One breakdown with its total --------------------------------------------------


def test_a_small_count_shows_as_fewer_than_k_and_zero_stays_visible() -> None:
    result = suppress_counts({"women": 3, "men": 0, "unknown": 12}, total=False)
    assert result.counts == {"women": SMALL, "men": 0, "unknown": 12}
    assert result.total is None


def test_one_small_count_beside_a_total_hides_a_second_count() -> None:
    result = suppress_counts({"women": 3, "men": 20, "unknown": 0})
    # 23 - 20 would give the 3 away; the zero cannot carry the difference.
    assert result.counts == {"women": SMALL, "men": HIDDEN, "unknown": 0}
    assert result.total == 23


def test_the_second_count_hidden_is_the_smallest_other() -> None:
    result = suppress_counts({"a": 2, "b": 40, "c": 9, "d": 15})
    assert result.counts == {"a": SMALL, "b": 40, "c": HIDDEN, "d": 15}
    assert result.total == 66


def test_two_small_counts_that_add_up_to_the_most_they_can_hide_the_total() -> None:
    # "< 5" + "< 5" = 8 says both are 4.
    result = suppress_counts({"women": 4, "men": 4})
    assert result.counts == {"women": SMALL, "men": SMALL}
    assert result.total == HIDDEN


def test_a_small_count_beside_a_hidden_count_of_exactly_k_hides_the_total() -> None:
    # A reader who knows zeros are shown and that "x" hides at least 5 reads
    # 1 + 5 = 6 from a visible total.
    result = suppress_counts({"women": 1, "men": 5})
    assert result.counts == {"women": SMALL, "men": HIDDEN}
    assert result.total == HIDDEN


def test_two_small_counts_beside_large_ones_keep_the_total() -> None:
    result = suppress_counts({"a": 2, "b": 3, "c": 30})
    assert result.counts == {"a": SMALL, "b": SMALL, "c": 30}
    assert result.total == 35


def test_everything_small_hides_everything_but_zeros() -> None:
    result = suppress_counts({"a": 1, "b": 2, "c": 0})
    assert result.counts == {"a": SMALL, "b": SMALL, "c": 0}
    assert result.total == SMALL


def test_all_zeros_show_as_zeros() -> None:
    result = suppress_counts({"a": 0, "b": 0})
    assert result.counts == {"a": 0, "b": 0}
    assert result.total == 0


def test_nothing_small_hides_nothing() -> None:
    result = suppress_counts({"a": 5, "b": 17})
    assert result.counts == {"a": 5, "b": 17}
    assert result.total == 22


# --- Tables with row, column and grand totals --------------------------------------


def test_a_small_cell_in_a_table_hides_a_rectangle_and_keeps_every_total() -> None:
    table = suppress_table(
        {
            "youth": {"sport": 2, "culture": 7, "language": 10},
            "newcomers": {"sport": 8, "culture": 9, "language": 12},
            "both": {"sport": 20, "culture": 6, "language": 5},
        }
    )
    assert shown(table.cells["youth"]) == {"sport": "< 5", "culture": "x", "language": 10}
    assert shown(table.cells["newcomers"]) == {"sport": "x", "culture": "x", "language": 12}
    assert shown(table.cells["both"]) == {"sport": 20, "culture": 6, "language": 5}
    assert table.row_totals == {"youth": 19, "newcomers": 29, "both": 31}
    assert table.column_totals == {"sport": 30, "culture": 22, "language": 27}
    assert table.total == 79


def test_a_small_cell_whose_row_is_otherwise_zero_is_covered_through_its_column() -> None:
    table = suppress_table({"a": {"x": 3, "y": 0}, "b": {"x": 50, "y": 10}})
    # Row a's total equals its cell, so both are "< 5"; column x's 53 would give the 3
    # away from a visible 50, and so hides it, and with it row b's total.
    assert table.cells == {"a": {"x": SMALL, "y": 0}, "b": {"x": HIDDEN, "y": 10}}
    assert table.row_totals == {"a": SMALL, "b": HIDDEN}
    assert table.column_totals == {"x": 53, "y": 10}
    assert table.total == 63


def test_a_single_row_hides_the_column_totals_that_repeat_its_cells() -> None:
    table = suppress_table({"all": {"women": 2, "men": 7}})
    assert table.cells == {"all": {"women": SMALL, "men": HIDDEN}}
    assert table.column_totals == {"women": SMALL, "men": HIDDEN}
    assert table.row_totals == {"all": 9}
    assert table.total == 9


def test_without_totals_only_the_small_cells_are_hidden() -> None:
    table = suppress_table({"a": {"x": 3, "y": 9}, "b": {"x": 0, "y": 4}}, totals=False)
    assert table.cells == {"a": {"x": SMALL, "y": 9}, "b": {"x": 0, "y": SMALL}}
    assert table.row_totals is None
    assert table.column_totals is None
    assert table.total is None


def test_missing_cells_count_as_zero_and_columns_keep_their_order() -> None:
    table = suppress_table({"a": {"y": 9}, "b": {"x": 6}}, columns=["x", "y", "z"])
    assert table.columns == ("x", "y", "z")
    assert table.cells == {"a": {"x": 0, "y": 9, "z": 0}, "b": {"x": 6, "y": 0, "z": 0}}
    assert table.column_totals == {"x": 6, "y": 9, "z": 0}


def test_an_empty_table_is_empty() -> None:
    table: SuppressedTable[str, str] = suppress_table({})
    assert table.cells == {}
    assert table.total == 0


@pytest.mark.parametrize("bad", [-1, 2.5, True, "3"])
def test_a_count_that_is_not_a_whole_number_from_zero_is_refused(bad: object) -> None:
    with pytest.raises(ValueError, match="whole number from 0 up"):
        suppress_counts({"a": bad})  # type: ignore[dict-item]
    with pytest.raises(ValueError, match="whole number from 0 up"):
        suppress_table({"r": {"c": bad}})  # type: ignore[dict-item]


# --- The threshold -----------------------------------------------------------------


@override_settings(SMALL_CELL_K=10)
def test_the_threshold_comes_from_settings() -> None:
    result = suppress_counts({"a": 9, "b": 10}, total=False)
    assert result.counts == {"a": Suppressed(10, Reason.SMALL), "b": 10}
    assert suppress_counts({"a": 9}, k=5, total=False).counts == {"a": 9}


def test_a_threshold_below_three_is_refused() -> None:
    # "< 2" would say the count is 1.
    with pytest.raises(ValueError, match="at least 3"):
        suppress_counts({"a": 1}, k=2)


@pytest.mark.parametrize(
    ("value", "expected"), [("five", "not a whole number"), ("2", "at least 3")]
)
def test_a_bad_small_cell_k_stops_the_start_naming_it(value: str, expected: str) -> None:
    clean = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, "SECRET_KEY": "test-only", "SMALL_CELL_K": value},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "SMALL_CELL_K=" in result.stderr
    assert expected in result.stderr


# --- Display -------------------------------------------------------------------------


def render(source: str, **context: object) -> str:
    return Template("{% load programs %}" + source).render(Context(context))


def test_a_small_cell_reads_fewer_than_k_in_each_language_and_shows_an_isolated_mark() -> None:
    words = {"ar": "أقل من 5", "fr": "moins de 5", "en": "fewer than 5"}
    for language, expected in words.items():
        with translation.override(language):
            html = render("{{ c|cell }}", c=SMALL)
        assert '<span aria-hidden="true"><bdi dir="ltr">&lt; 5</bdi></span>' in html
        assert f'<span class="visually-hidden">{expected}</span>' in html
        assert f'title="{expected}"' in html


def test_a_cell_hidden_in_the_second_step_shows_x_and_says_why() -> None:
    with translation.override("fr"):
        html = render("{{ c|cell }}", c=HIDDEN)
    assert '<bdi dir="ltr">x</bdi>' in html
    assert "un petit nombre ne puisse pas être déduit" in html
    assert "&lt;" not in html


def test_a_count_shows_as_a_grouped_number_isolated_left_to_right() -> None:
    with translation.override("en"):
        assert render("{{ c|cell }}", c=12345) == '<bdi dir="ltr">12,345</bdi>'
    with translation.override("ar"):
        # Western digits; the group separator would turn the groups round unisolated.
        assert render("{{ c|cell }}", c=12345) == '<bdi dir="ltr">12 345</bdi>'
        assert render("{{ c|cell }}", c=0) == '<bdi dir="ltr">0</bdi>'


def test_the_note_explains_the_marks_in_each_language() -> None:
    with translation.override("en"):
        assert "from 1 to 4" in render("{% suppression_note %}")
        assert "from 1 to 9" in render("{% suppression_note 10 %}")
    with translation.override("ar"):
        assert "المجاميع" in render("{% suppression_note %}")
    with translation.override("fr"):
        assert "de 1 à 4" in render("{% suppression_note %}")


def test_data_files_get_numbers_as_numbers_and_marks_as_text() -> None:
    assert cell_value(12) == 12
    assert cell_value(SMALL) == "< 5"
    assert cell_value(HIDDEN) == "x"


# --- Properties ----------------------------------------------------------------------

counts = st.one_of(st.just(0), st.integers(1, 6), st.integers(0, 12))
tables = st.integers(1, 3).flatmap(
    lambda n_columns: st.lists(
        st.lists(counts, min_size=n_columns, max_size=n_columns), min_size=1, max_size=3
    )
)


def as_rows(values: list[list[int]]) -> dict[int, dict[int, int]]:
    return {i: dict(enumerate(line)) for i, line in enumerate(values)}


def known(cell: Cell, k: int) -> tuple[int, int | None] | int:
    """What a reader knows of one entry: its value, or the bounds of a hidden one."""
    if isinstance(cell, Suppressed):
        return (0, k - 1) if cell.reason is Reason.SMALL else (0, None)
    return cell


def fits(value: int, knowledge: tuple[int, int | None] | int) -> bool:
    if isinstance(knowledge, int):
        return value == knowledge
    lower, upper = knowledge
    return value >= lower and (upper is None or value <= upper)


def other_completion(
    table: SuppressedTable[int, int],
    values: list[list[int]],
    k: int,
    target: tuple[str, ...],
) -> bool:
    """Whether some table of whole numbers shows what `table` shows with a different
    value at `target`: a search over the hidden cells, the totals following."""
    n_rows, n_columns = len(values), len(values[0])
    cap = sum(map(sum, values)) + k
    hidden = [
        (i, j)
        for i in range(n_rows)
        for j in range(n_columns)
        if isinstance(table.cells[i][j], Suppressed)
    ]
    grid = [[value for value in line] for line in values]

    def true_of(key: tuple[str, ...], trial: list[list[int]]) -> int:
        kind = key[0]
        if kind == "cell":
            return trial[int(key[1])][int(key[2])]
        if kind == "row_total":
            return sum(trial[int(key[1])])
        if kind == "col_total":
            return sum(line[int(key[1])] for line in trial)
        return sum(map(sum, trial))

    def consistent(trial: list[list[int]]) -> bool:
        for i in range(n_rows):
            for j in range(n_columns):
                if not fits(trial[i][j], known(table.cells[i][j], k)):
                    return False
        if table.row_totals is not None and table.column_totals is not None:
            assert table.total is not None
            for i in range(n_rows):
                if not fits(sum(trial[i]), known(table.row_totals[i], k)):
                    return False
            for j in range(n_columns):
                column = sum(line[j] for line in trial)
                if not fits(column, known(table.column_totals[j], k)):
                    return False
            if not fits(sum(map(sum, trial)), known(table.total, k)):
                return False
        return true_of(target, trial) != true_of(target, values)

    def search(index: int) -> bool:
        if index == len(hidden):
            return consistent(grid)
        i, j = hidden[index]
        cell = table.cells[i][j]
        assert isinstance(cell, Suppressed)
        top = k - 1 if cell.reason is Reason.SMALL else cap
        # Near the true values first: a safe table has a completion one step away.
        true = values[i][j]
        for value in sorted(range(top + 1), key=lambda v: abs(v - true)):
            grid[i][j] = value
            if search(index + 1):
                return True
        grid[i][j] = values[i][j]
        return False

    return search(0)


def entries(table: SuppressedTable[int, int]) -> dict[tuple[str, ...], Cell]:
    found: dict[tuple[str, ...], Cell] = {
        ("cell", str(i), str(j)): table.cells[i][j] for i in table.rows for j in table.columns
    }
    if table.row_totals is not None and table.column_totals is not None:
        assert table.total is not None
        found |= {("row_total", str(i)): table.row_totals[i] for i in table.rows}
        found |= {("col_total", str(j)): table.column_totals[j] for j in table.columns}
        found[("total",)] = table.total
    return found


@settings(max_examples=150, derandomize=True, deadline=None)
@given(values=tables, k=st.sampled_from([3, 5]), totals=st.booleans())
def test_no_small_count_shows_and_no_hidden_one_can_be_worked_out(
    values: list[list[int]], k: int, totals: bool
) -> None:
    table = suppress_table(as_rows(values), k=k, totals=totals)
    n_rows, n_columns = len(values), len(values[0])

    # No figure shown from 1 to k-1, small ones marked "< k", zeros shown.
    for i in range(n_rows):
        for j in range(n_columns):
            cell, value = table.cells[i][j], values[i][j]
            if 0 < value < k:
                assert cell == Suppressed(k, Reason.SMALL)
            elif value == 0:
                assert cell == 0
            else:
                assert cell in (value, Suppressed(k, Reason.SECONDARY))

    if totals:
        assert table.row_totals is not None and table.column_totals is not None
        true_totals = {
            **{("row", i): sum(values[i]) for i in range(n_rows)},
            **{("col", j): sum(line[j] for line in values) for j in range(n_columns)},
        }
        shown_totals = {
            **{("row", i): table.row_totals[i] for i in range(n_rows)},
            **{("col", j): table.column_totals[j] for j in range(n_columns)},
            ("all", 0): table.total,
        }
        true_totals[("all", 0)] = sum(map(sum, values))
        for key, shown_total in shown_totals.items():
            # Exact sums of the true counts, or hidden; never a small one shown.
            assert shown_total == true_totals[key] or isinstance(shown_total, Suppressed)
            if 0 < true_totals[key] < k:
                assert shown_total == Suppressed(k, Reason.SMALL)

        # Each hidden cell has another hidden entry in its row and in its column,
        # counting the total as an entry.
        for i in range(n_rows):
            for j in range(n_columns):
                if isinstance(table.cells[i][j], Suppressed):
                    row = [table.cells[i][c] for c in range(n_columns) if c != j]
                    column = [table.cells[r][j] for r in range(n_rows) if r != i]
                    row.append(table.row_totals[i])
                    column.append(table.column_totals[j])
                    assert any(isinstance(entry, Suppressed) for entry in row)
                    assert any(isinstance(entry, Suppressed) for entry in column)

    # And, more strongly, no hidden entry has only one possible value.
    for place, entry in entries(table).items():
        if isinstance(entry, Suppressed):
            assert other_completion(table, values, k, place), place


@settings(max_examples=200, derandomize=True, deadline=None)
@given(values=st.lists(counts, min_size=1, max_size=5), k=st.sampled_from([3, 5]))
def test_no_hidden_count_of_a_breakdown_can_be_worked_out_from_its_total(
    values: list[int], k: int
) -> None:
    result = suppress_counts(dict(enumerate(values)), k=k)
    total = sum(values)
    assert result.total == total or isinstance(result.total, Suppressed)
    for i, value in enumerate(values):
        assert result.counts[i] == (Suppressed(k, Reason.SMALL) if 0 < value < k else value) or (
            value >= k and result.counts[i] == Suppressed(k, Reason.SECONDARY)
        )
    hidden = [i for i, cell in result.counts.items() if isinstance(cell, Suppressed)]
    if isinstance(result.total, Suppressed):
        # Not the sum of the counts shown: a hidden total has a hidden count to move with.
        assert hidden
    elif hidden:
        # The hidden counts add up to what the visible total leaves; each one's range,
        # given the others' bounds, has more than one value.
        rest = total - sum(v for i, v in enumerate(values) if i not in hidden)
        bounds = {i: hidden_bounds(result.counts[i], k) for i in hidden}
        for i in hidden:
            others = [bounds[h] for h in hidden if h != i]
            lowest = rest - sum(rest if upper is None else upper for _, upper in others)
            highest = rest - sum(lower for lower, _ in others)
            own_lower, own_upper = bounds[i]
            low = max(own_lower, lowest)
            high = highest if own_upper is None else min(own_upper, highest)
            assert high > low, (values, i)


def hidden_bounds(cell: Cell, k: int) -> tuple[int, int | None]:
    bounds = known(cell, k)
    assert isinstance(bounds, tuple)
    return bounds
