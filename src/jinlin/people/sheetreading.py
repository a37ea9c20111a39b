"""A sheet read and cleaned for the import: in this process, or, for a large file, in a
second process while this one writes what it has already sent (people.importing).

No Django here (the second process imports only this and the pure modules it uses). Both
ways run the same generator, `read_sheet`: the header found (or the problem saying why
none), then batches of clean rows in sheet order, each row with its problems, the in-file
duplicates included (every row before it seen), and the 合计 rows skipped. The second
process sends those items as they are; a refused file (`WorkbookRefused`) is raised again on
this side, where the import reports it as it would have in one process.
"""

from __future__ import annotations

import contextlib
import gc
import io
import os
import pickle
import queue
import resource
import subprocess
import sys
import threading
import traceback
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import IO, Any

from jinlin.people import sheet
from jinlin.people.cells import MSG_DUPLICATE_ROW
from jinlin.people.searchkeys import pinyin_table
from jinlin.people.sheet import CleanRow, Header, Problem, RowCleaner
from jinlin.people.workbook import Limits, SheetRows, WorkbookRefused

MSG_NO_SHEET = "文件中没有找到可导入的工作表"
# Below this size (about 5,000 rows of a usual sheet) the second process costs more to start
# than it saves.
SECOND_PROCESS_FROM_BYTES = 512 * 1024
_BATCH = 500
# Batches the second process may clean ahead of the importer (memory: a few MB).
_AHEAD = 16
# The second process's address space while it reads a file not yet surveyed: a 100,000-row
# sheet at the unzipped limit peaks at 0.4 GB; a file that needs more ends the second
# process, and this one reads it (slower, as without a second process).
_MEMORY_BOUND = 2**30


@dataclass
class Batch:
    """Clean rows in sheet order, and the 合计 rows skipped since the batch before."""

    rows: list[CleanRow]
    total_rows: list[int]


Item = Header | Problem | Batch
Source = str | Path | bytes | IO[bytes]


def find_sheet(
    book: SheetRows, kind: str
) -> tuple[Header, Iterator[tuple[int, list[Any]]]] | Problem:
    """The first of the first ten visible sheets whose header names the kind's columns, with
    its rows below the header (cells merged down filled in as Excel shows them)."""
    first_problem: Problem | None = None
    for name in book.sheet_names()[:10]:
        rows = book.rows(name)
        found = sheet.find_header(rows, kind)
        if isinstance(found, Header):
            return found, sheet.filled_down(rows, book.merged_down(name), below=found.row)
        first_problem = first_problem or found
    return first_problem or Problem(0, "", MSG_NO_SHEET)


def read_sheet(
    source: Source,
    limits: Limits,
    kind: str,
    *,
    today: date,
    batch_size: int = _BATCH,
    surveyed: bool = True,
) -> Generator[Item, None, None]:
    """The header (or the Problem that stops the import), then the clean rows in batches.
    `surveyed=False`: the caller surveys the file meanwhile (workbook.SheetRows)."""
    with SheetRows(source, limits, surveyed=surveyed) as book:
        found = find_sheet(book, kind)
        if isinstance(found, Problem):
            yield found
            return
        header, rows = found
        yield header
        cleaner = RowCleaner(kind, header, today=today)
        seen: dict[tuple[Any, ...], int] = {}
        what = "身份证号" if kind != sheet.KIND_HOUSEHOLDS else "户"
        column = cleaner.heading("id_number" if kind != sheet.KIND_HOUSEHOLDS else "room")
        batch: list[CleanRow] = []
        reported_totals = 0
        for number, cells in rows:
            row = cleaner.clean(number, cells)
            if row is None:
                continue
            key = sheet.duplicate_key(kind, row.values)
            if key is not None:
                if key in seen:
                    message = MSG_DUPLICATE_ROW.format(row=seen[key], what=what)
                    row.problems.append(Problem(number, column, message))
                else:
                    seen[key] = number
            batch.append(row)
            if len(batch) >= batch_size:
                yield Batch(batch, cleaner.total_rows[reported_totals:])
                reported_totals = len(cleaner.total_rows)
                batch = []
        if batch or len(cleaner.total_rows) > reported_totals:
            yield Batch(batch, cleaner.total_rows[reported_totals:])


def wants_second_process(source: Source, limits: Limits) -> bytes | str | Path | None:
    """The source as the second process can open it (a path, or the file's bytes) when the
    file is large enough to be worth one; None to read it in this process. A file over the
    size limit is left to this process, which refuses it as usual."""
    if isinstance(source, str | Path):
        size = Path(source).stat().st_size if Path(source).is_file() else 0
        chosen: bytes | str | Path = source
    elif isinstance(source, bytes):
        size, chosen = len(source), source
    else:
        try:
            source.seek(0, io.SEEK_END)
            size = source.tell()
            source.seek(0)
        except (OSError, AttributeError):
            return None
        if not SECOND_PROCESS_FROM_BYTES <= size <= limits.max_file_bytes:
            return None
        chosen = source.read()
        source.seek(0)
    return chosen if SECOND_PROCESS_FROM_BYTES <= size <= limits.max_file_bytes else None


def _serve() -> None:
    """The second process (`python -m jinlin.people.sheetreading`): its arguments pickled on
    stdin, every item of `read_sheet` pickled on stdout, then None; a refusal as its
    message, any other failure as its traceback."""
    # A one-shot process whose rows live until it ends: no collector walks over them.
    gc.disable()
    # Imported meanwhile: calamine reads the sheet without holding the interpreter.
    threading.Thread(target=pinyin_table, daemon=True).start()
    # The importer surveys the file while this process reads it, and stops it unless the
    # survey trusts calamine with the file: until then a file that would make calamine ask
    # for too much memory ends this process, not the importer's (which then reads it itself).
    resource.setrlimit(resource.RLIMIT_AS, (_MEMORY_BOUND, _MEMORY_BOUND))
    arguments = pickle.load(sys.stdin.buffer)  # noqa: S301 - written by read_sheet_aside
    source, limits, kind, today = arguments
    out = sys.stdout.buffer
    # The pipe holds one batch at most: a thread sends while this one cleans on, so that the
    # reading stays up to _AHEAD batches ahead of the importer, whatever the pipe's size.
    pending: queue.Queue[bytes | None] = queue.Queue(maxsize=_AHEAD)
    sender = threading.Thread(target=_send, args=(pending, out), daemon=True)
    sender.start()
    try:
        try:
            for item in read_sheet(source, limits, kind, today=today, surveyed=False):
                pending.put(pickle.dumps(item, protocol=pickle.HIGHEST_PROTOCOL))
        finally:
            pending.put(None)
            sender.join()
        pickle.dump(None, out)
    except WorkbookRefused as refused:
        pickle.dump(("refused", refused.message), out)
    except Exception:  # noqa: BLE001 - handed to the importer, which raises it
        pickle.dump(("failed", traceback.format_exc()), out)
    out.flush()


def _send(pending: queue.Queue[bytes | None], out: IO[bytes]) -> None:
    """Write each pickled item to the pipe, in order, until None. Once the pipe is broken
    (the importer stopped reading, and ends this process) the rest is taken and dropped, so
    that the cleaning never waits on a full queue."""
    broken = False
    while (blob := pending.get()) is not None:
        if broken:
            continue
        try:
            out.write(blob)
        except BrokenPipeError:
            broken = True


class _Lost(Exception):
    """The second process ended without its items (killed, out of memory, a failure)."""


def read_sheet_aside(
    source: Source, limits: Limits, kind: str, *, today: date
) -> Generator[Item, None, None]:
    """`read_sheet` run in a second Python process, its items received here as the importer
    asks for them.

    The second process starts reading at once, without the survey of the file (the zip
    decompressed once and its references bounded, workbook.SheetRows), which this process
    makes meanwhile: a file the survey refuses is refused here with the same message, and one
    that calamine is not trusted with is read here, as are the files of a second process that
    ended or refused before its first item. The second process cleans at most `_AHEAD` batches ahead
    of this one (a few MB), so memory stays about as in one process. Closing the generator
    early stops it."""
    process = _start(source, limits, kind, today)
    try:
        with SheetRows(source, limits) as book:
            trusted = book.uses_calamine
        received = _received(process)
        first: Item | None = None
        # Before its first item the second process may have failed on its memory bound (a
        # failure its reader calls a broken file): this process then reads, and says so
        # itself if the file is refused.
        if trusted:
            with contextlib.suppress(_Lost, WorkbookRefused):
                first = next(received)
        if first is None:
            _stop(process)
            yield from read_sheet(source, limits, kind, today=today)
            return
        yield first
        try:
            yield from received
        except _Lost as lost:
            raise RuntimeError(f"the sheet's reading process stopped: {lost}") from None
    finally:
        _stop(process)


def _start(source: Source, limits: Limits, kind: str, today: date) -> subprocess.Popen[bytes]:
    environment = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)}
    process = subprocess.Popen(  # noqa: S603 - this interpreter, this module, no shell
        [sys.executable, "-m", __name__],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        env=environment,
    )
    assert process.stdin is not None
    try:
        pickle.dump((source, limits, kind, today), process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
    except BrokenPipeError:
        pass  # it ended already: _received says so
    return process


def _received(process: subprocess.Popen[bytes]) -> Iterator[Item]:
    """The second process's items; a refusal raised as WorkbookRefused, its end without
    a word or a failure as _Lost."""
    assert process.stdout is not None
    while True:
        try:
            # The stream is this module's own child's, written by _serve above.
            item = pickle.load(process.stdout)  # noqa: S301
        except EOFError:
            raise _Lost("ended without a word") from None
        if item is None:
            return
        if isinstance(item, tuple):
            what, detail = item
            if what == "refused":
                raise WorkbookRefused(detail)
            raise _Lost(f"failed:\n{detail}")
        yield item


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.kill()
    if process.stdout is not None:
        process.stdout.close()
    process.wait()


if __name__ == "__main__":
    # Run as the module's own name, so that what it pickles names jinlin.people.sheetreading.
    from jinlin.people import sheetreading

    sheetreading._serve()
