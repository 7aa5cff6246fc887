"""The Impact Canvas read as a grid: issue phases (rows) x building blocks (columns).

An empty cell is a witte vlek (a gap); a cell with two or more actors a doublure (an
overlap), unless the reisbegeleider marked it as intended.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from journeys.models import BuildingBlock, CanvasEntry, CanvasPhase, IntendedDoublure, Journey


@dataclass
class Cell:
    phase: CanvasPhase
    block: str
    entries: list[CanvasEntry] = field(default_factory=list)
    intended: IntendedDoublure | None = None

    @property
    def block_label(self) -> str:
        return BuildingBlock(self.block).label

    @property
    def is_gap(self) -> bool:
        return not self.entries

    @property
    def is_doublure(self) -> bool:
        return len(self.entries) >= 2

    @property
    def is_unintended_doublure(self) -> bool:
        return self.is_doublure and self.intended is None

    @property
    def is_intended_doublure(self) -> bool:
        # A mark left on a cell that no longer holds two actors says nothing.
        return self.is_doublure and self.intended is not None


@dataclass
class Row:
    phase: CanvasPhase
    cells: list[Cell]

    @property
    def is_empty(self) -> bool:
        """No entries in any cell: the phase may be removed."""
        return all(cell.is_gap for cell in self.cells)


@dataclass
class Grid:
    blocks: list[tuple[str, str]]
    rows: list[Row]

    @property
    def cells(self) -> list[Cell]:
        return [cell for row in self.rows for cell in row.cells]

    @property
    def gap_count(self) -> int:
        return sum(cell.is_gap for cell in self.cells)

    @property
    def doublure_count(self) -> int:
        return sum(cell.is_doublure for cell in self.cells)

    @property
    def unintended_doublure_count(self) -> int:
        return sum(cell.is_unintended_doublure for cell in self.cells)

    @property
    def intended_doublure_count(self) -> int:
        return sum(cell.is_intended_doublure for cell in self.cells)

    @property
    def entry_count(self) -> int:
        return sum(len(cell.entries) for cell in self.cells)

    @property
    def phases(self) -> list[CanvasPhase]:
        return [row.phase for row in self.rows]


def grid_for(journey: Journey) -> Grid:
    """The whole canvas in three queries, however many phases and entries it holds."""
    phases = list(journey.canvas_phases.all())
    by_cell: dict[tuple[int, str], list[CanvasEntry]] = defaultdict(list)
    # Who added an entry comes along in the same query: the page names them.
    for entry in journey.canvas_entries.select_related("added_by"):
        by_cell[(entry.phase_id, entry.block)].append(entry)
    marks = {
        (mark.phase_id, mark.block): mark
        for mark in IntendedDoublure.objects.filter(journey=journey)
    }
    rows = [
        Row(
            phase=phase,
            cells=[
                Cell(phase, block, by_cell[(phase.pk, block)], marks.get((phase.pk, block)))
                for block in BuildingBlock.values
            ],
        )
        for phase in phases
    ]
    return Grid(blocks=list(BuildingBlock.choices), rows=rows)
