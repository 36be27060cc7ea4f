"""What the command modules share: the console, the progress bar over named steps, the snapshot store option."""

from __future__ import annotations

import argparse
import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeAlias

from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

from kawal.engine import SnapshotStore

console = Console(highlight=False)
Sub: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

DATA_HELP = (
    "folder data kawal (bawaan: $KAWAL_DATA_DIR atau ./kawal-data)",
    "kawal's data folder (default: $KAWAL_DATA_DIR or ./kawal-data)",
)


def store(args: argparse.Namespace) -> SnapshotStore:
    """The snapshot store of ``--data``, else ``$KAWAL_DATA_DIR``, else ``./kawal-data``."""
    return SnapshotStore(Path(args.data) if args.data else None)


@contextlib.contextmanager
def steps(total: int) -> Iterator[Callable[[str], None]]:
    """A progress bar over the named steps of a long job; the callback moves it one step."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("", total=total)
        started = [False]

        def advance(description: str) -> None:
            if started[0]:
                progress.advance(task)
            started[0] = True
            progress.update(task, description=description)

        yield advance
        progress.update(task, completed=total)
