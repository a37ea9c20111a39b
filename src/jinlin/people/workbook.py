"""Opening an uploaded .xlsx safely and streaming its rows: size, zip bombs, huge ranges.

No Django here. The zip's central directory is checked first, before a byte is decompressed
(parts, total size, the ratio of each part, the sheets' declared rows: docs/security.md,
Uploads). python-calamine reads fast but builds each sheet as one dense block and each cell
as one string, so a 4 KB file naming cell XFD1048576 would make it ask for half a terabyte:
every part is then decompressed once, in 1 MB chunks (sizes and CRCs checked), the sheets'
cell references and text runs are bounded on the way, and anything calamine cannot be
trusted with is read by openpyxl's streaming reader instead.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

MSG_EMPTY = "文件是空的"
MSG_TOO_BIG = "文件太大（超过 {mb} MB），请按小区分成几个文件导入"
MSG_XLS = "这是旧版 Excel（.xls）或加密的文件：请在 Excel 中“另存为” .xlsx 格式（不设密码）后再导入"
MSG_NOT_XLSX = "这不是 Excel .xlsx 文件，请在 Excel 中“另存为” .xlsx 格式后再导入"
MSG_BROKEN = "文件已损坏，无法读取：请在 Excel 中打开后重新保存再导入"
MSG_BOMB = "文件解压后过大（超过 {mb} MB），已拒绝；请检查文件或分成几个文件导入"
MSG_RATIO = "文件中有一部分压缩比异常（解压后超过压缩时的 {ratio} 倍），疑似“压缩炸弹”，已拒绝"
MSG_TOO_MANY_PARTS = "文件内部条目过多（超过 {n} 个），不像是 Excel 表格，已拒绝"
MSG_CELL_TOO_LONG = "有单元格内容超过 Excel 的上限（32767 个字符），文件异常，已拒绝"
MSG_TOO_MANY_ROWS = "表格超过 {rows} 行，请分成几个文件导入"
MSG_NO_SHEET = "文件中没有可读的工作表"

_CHUNK = 1 << 20
# Parts this small may compress at any ratio: short XML repeats itself (an empty styles.xml
# compresses 30:1), and even at 1000:1 a megabyte costs nothing.
_RATIO_EXEMPT_BYTES = 1 << 20
# Excel's own limit is 32,767 characters a cell; written as XML (&quot; is six bytes for one
# character) no text or attribute between two tags of a real sheet is longer than this.
_MAX_TEXT_BYTES = 32_767 * 6
_LONG_TEXT = re.compile(rb"<[^<]{%d}" % _MAX_TEXT_BYTES)
_LONG_TEXT_AT_START = re.compile(rb"[^<]{%d}" % _MAX_TEXT_BYTES)
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]*\d*:?[A-Z]*(\d+)"')
_TITLE_ROWS = 30  # rows above the data (titles, the header) not counted against max_rows
# A cell or row reference with two or more column letters or a six-digit row number: rare in
# real sheets, and the only way to make a sheet's range large without making the file large.
_BIG_REF = re.compile(rb' r="([A-Z]{2,3}|[A-Z]?)(\d{6,}|\d*)"')
_BIG_REF_FAST = re.compile(rb' r="(?:[A-Z]{2,3}\d|[A-Z]?\d{6})')


@dataclass(frozen=True)
class Limits:
    max_file_bytes: int = 40 * 1024 * 1024
    max_unzipped_bytes: int = 100 * 1024 * 1024
    max_ratio: int = 100  # uncompressed / compressed, for each part above 1 MB
    max_members: int = 1000
    max_rows: int = 200_000
    max_columns: int = 100
    # calamine allocates rows × columns cells of the sheet's range (about 32 bytes each).
    max_dense_cells: int = 8_000_000


class WorkbookRefused(Exception):
    """The file cannot be imported at all; the message is for the user, in Chinese."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass
class _Survey:
    max_row: int = 0
    max_column: int = 0
    has_refless_cells: bool = False


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + (letter - 64)
    return number


def _survey_part(
    stream: IO[bytes], survey: _Survey, budget: list[int], limits: Limits, *, is_sheet: bool
) -> None:
    """Read a sheet or the shared strings once, in chunks: refuse a text run no cell can
    hold, and (for a sheet) bound its range from the references and the rows counted."""
    tail = b""
    refs = cells = rows = 0
    while True:
        chunk = stream.read(_CHUNK)
        if not chunk:
            break
        budget[0] -= len(chunk)
        if budget[0] < 0:
            raise WorkbookRefused(MSG_BOMB.format(mb=limits.max_unzipped_bytes // 2**20))
        window = tail + chunk
        if _LONG_TEXT.search(window) or _LONG_TEXT_AT_START.match(window):
            raise WorkbookRefused(MSG_CELL_TOO_LONG)
        # A text run crossing the boundary is seen whole enough in the next window.
        tail = chunk[-_MAX_TEXT_BYTES:]
        if not is_sheet:
            continue
        refs += chunk.count(b' r="')
        cells += chunk.count(b"<c ") + chunk.count(b"<c>")
        rows += chunk.count(b"<row ") + chunk.count(b"<row>")
        if rows > limits.max_rows + _TITLE_ROWS:
            raise WorkbookRefused(MSG_TOO_MANY_ROWS.format(rows=limits.max_rows))
        if _BIG_REF_FAST.search(window):
            for letters, digits in _BIG_REF.findall(window):
                if letters:
                    survey.max_column = max(survey.max_column, _column_number(letters))
                if digits:
                    survey.max_row = max(survey.max_row, int(digits))
    # Elements without a reference are placed one after another: no bound without counting
    # them per row, so such sheets go to the streaming reader.
    survey.max_row = max(survey.max_row, rows)
    if refs < cells + rows:
        survey.has_refless_cells = True


def _open_zip(
    data: IO[bytes], limits: Limits, *, survey: bool = True
) -> tuple[zipfile.ZipFile, _Survey | None]:
    head = data.read(8)
    data.seek(0)
    if not head:
        raise WorkbookRefused(MSG_EMPTY)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise WorkbookRefused(MSG_XLS)
    if not head.startswith(b"PK\x03\x04"):
        raise WorkbookRefused(MSG_NOT_XLSX)
    try:
        archive = zipfile.ZipFile(data)
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused(MSG_BROKEN) from None
    names = {member.filename for member in members}
    if "xl/workbook.xml" not in names and "xl/workbook.bin" not in names:
        raise WorkbookRefused(MSG_NOT_XLSX)
    if "xl/workbook.bin" in names:
        raise WorkbookRefused(MSG_NOT_XLSX)  # .xlsb
    check_directory(members, limits)
    try:
        _check_declared_rows(archive, members, limits)
        surveyed = _decompress_all(archive, members, limits) if survey else None
    except WorkbookRefused:
        archive.close()
        raise
    return archive, surveyed


def check_directory(members: list[zipfile.ZipInfo], limits: Limits) -> None:
    """Refuse a zip bomb from its central directory alone, before anything is decompressed:
    too many parts, a part above 1 MB inflating more than `max_ratio` times, or too much in
    all. The sizes are the zip's own claims; `_decompress_all` holds it to them."""
    if len(members) > limits.max_members:
        raise WorkbookRefused(MSG_TOO_MANY_PARTS.format(n=limits.max_members))
    for member in members:
        if member.file_size <= _RATIO_EXEMPT_BYTES:
            continue
        if member.file_size > limits.max_ratio * max(member.compress_size, 1):
            raise WorkbookRefused(MSG_RATIO.format(ratio=limits.max_ratio))
    if sum(member.file_size for member in members) > limits.max_unzipped_bytes:
        raise WorkbookRefused(MSG_BOMB.format(mb=limits.max_unzipped_bytes // 2**20))


def _check_declared_rows(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> None:
    """A sheet states its range near its start (`<dimension ref="A1:K300000"/>`): a sheet
    declaring more rows than the import takes is refused after reading a few KB of it. A
    sheet may omit or understate it, so the survey still counts."""
    for member in members:
        if not _is_sheet(member.filename):
            continue
        try:
            with archive.open(member) as stream:
                head = stream.read(4096)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, RuntimeError):
            raise WorkbookRefused(MSG_BROKEN) from None
        declared = _DIMENSION.search(head)
        if declared and int(declared.group(1)) > limits.max_rows + _TITLE_ROWS:
            raise WorkbookRefused(MSG_TOO_MANY_ROWS.format(rows=limits.max_rows))


def _is_sheet(name: str) -> bool:
    return name.startswith("xl/worksheets/") and name.endswith(".xml")


def _decompress_all(
    archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], limits: Limits
) -> _Survey:
    # Declared sizes may lie: decompress everything once, counting; zipfile stops at the
    # declared size and the CRC check then fails on a liar.
    survey = _Survey()
    budget = [limits.max_unzipped_bytes]
    try:
        for member in members:
            with archive.open(member) as stream:
                if _is_sheet(member.filename) or member.filename.lower() == "xl/sharedstrings.xml":
                    _survey_part(
                        stream, survey, budget, limits, is_sheet=_is_sheet(member.filename)
                    )
                    continue
                while True:
                    chunk = stream.read(_CHUNK)
                    if not chunk:
                        break
                    budget[0] -= len(chunk)
                    if budget[0] < 0:
                        raise WorkbookRefused(
                            MSG_BOMB.format(mb=limits.max_unzipped_bytes // 2**20)
                        )
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        NotImplementedError,
        RuntimeError,
    ):
        raise WorkbookRefused(MSG_BROKEN) from None
    return survey


def _as_stream(source: str | Path | bytes | IO[bytes], limits: Limits) -> IO[bytes]:
    if isinstance(source, bytes):
        stream: IO[bytes] = io.BytesIO(source)
    elif isinstance(source, str | Path):
        stream = open(source, "rb")  # noqa: SIM115 - closed by the caller through SheetRows
    else:
        stream = source
    stream.seek(0, io.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    if size > limits.max_file_bytes:
        raise WorkbookRefused(MSG_TOO_BIG.format(mb=limits.max_file_bytes // 2**20))
    return stream


Cell = Any
Row = tuple[int, list[Cell]]  # (row number as Excel shows it, cell values)
# A merge over several rows: (first row, last row, cell index), as rows() numbers them.
MergedDown = tuple[int, int, int]
_MERGE_REF = re.compile(rb'<mergeCell ref="([A-Z]{1,3})([0-9]{1,7}):([A-Z]{1,3})([0-9]{1,7})"')


class SheetRows:
    """The sheets of a checked workbook, each as a stream of (row number, values).

    `surveyed=False` is for a process whose caller surveys the same file at the same time
    (people.sheetreading) and stops it unless calamine can be trusted with the file: only
    the central directory is checked here, and calamine reads it."""

    def __init__(
        self,
        source: str | Path | bytes | IO[bytes],
        limits: Limits | None = None,
        *,
        surveyed: bool = True,
    ) -> None:
        self.limits = limits or Limits()
        self._stream = _as_stream(source, self.limits)
        try:
            self._archive, survey = _open_zip(self._stream, self.limits, survey=surveyed)
        except WorkbookRefused:
            self.close()
            raise
        self._workbook: Any = None
        # calamine reads a whole sheet at once: the last one read is kept for its merges + rows.
        self._sheets: dict[str, Any] = {}
        if survey is None:
            self.uses_calamine = True
            return
        self.uses_calamine = not survey.has_refless_cells and (
            max(survey.max_row, 99_999) * max(survey.max_column, 26) <= self.limits.max_dense_cells
        )
        if survey.max_row > self.limits.max_rows + _TITLE_ROWS:
            self.close()
            raise WorkbookRefused(MSG_TOO_MANY_ROWS.format(rows=self.limits.max_rows))

    def _calamine_sheet(self, name: str) -> Any:
        sheet = self._sheets.get(name)
        if sheet is None:
            sheet = self._workbook.get_sheet_by_name(name)
            self._sheets = {name: sheet}
        return sheet

    def close(self) -> None:
        try:
            if getattr(self, "_workbook", None) is not None:
                self._workbook.close()
        except Exception:  # noqa: BLE001, S110 - closing is best effort
            pass
        archive = getattr(self, "_archive", None)
        if archive is not None:
            archive.close()
        self._sheets = {}
        self._stream.close()

    def __enter__(self) -> SheetRows:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def sheet_names(self) -> list[str]:
        """Visible worksheets in workbook order."""
        if self.uses_calamine:
            import python_calamine

            if self._workbook is None:
                self._stream.seek(0)
                try:
                    self._workbook = python_calamine.CalamineWorkbook.from_filelike(self._stream)
                except Exception:  # noqa: BLE001 - any reader failure is a broken file to the user
                    raise WorkbookRefused(MSG_BROKEN) from None
            return [
                sheet.name
                for sheet in self._workbook.sheets_metadata
                if sheet.visible == python_calamine.SheetVisibleEnum.Visible
                and sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
            ]
        workbook = self._openpyxl()
        return [ws.title for ws in workbook.worksheets if ws.sheet_state == "visible"]

    def _openpyxl(self) -> Any:
        if self._workbook is None:
            import openpyxl

            self._stream.seek(0)
            try:
                self._workbook = openpyxl.load_workbook(
                    self._stream, read_only=True, data_only=True, keep_links=False
                )
            except Exception:  # noqa: BLE001
                raise WorkbookRefused(MSG_BROKEN) from None
        return self._workbook

    def merged_down(self, name: str) -> list[MergedDown]:
        """The sheet's merges that span rows (小区, 楼号, 室号 merged down over a family), each by
        its first column: Excel keeps the value in the top cell only."""
        limit = self.limits.max_columns
        found: list[MergedDown] = []
        if self.uses_calamine:
            try:
                sheet = self._calamine_sheet(name)
                ranges = sheet.merged_cell_ranges or []
                first_column = (sheet.start or (0, 0))[1]
            except Exception:  # noqa: BLE001
                raise WorkbookRefused(MSG_BROKEN) from None
            for (top, left), (bottom, _right) in ranges:
                index = left - first_column
                if bottom > top and 0 <= index < limit:
                    found.append((top + 1, bottom + 1, index))
            return sorted(found)
        path = getattr(self._openpyxl()[name], "_worksheet_path", "")
        try:
            with self._archive.open(path) as stream:
                part = stream.read()
        except (KeyError, zipfile.BadZipFile, OSError, EOFError, RuntimeError):
            return []
        for left, top, _right, bottom in _MERGE_REF.findall(part):
            index = _column_number(left) - 1
            if int(bottom) > int(top) and 0 <= index < limit:
                found.append((int(top), int(bottom), index))
        return sorted(found)

    def rows(self, name: str) -> Iterator[Row]:
        """Rows of one sheet with their Excel row numbers; at most `max_columns` cells each."""
        limits = self.limits
        if self.uses_calamine:
            try:
                sheet = self._calamine_sheet(name)
                rows = sheet.iter_rows()
            except Exception:  # noqa: BLE001
                raise WorkbookRefused(MSG_BROKEN) from None
            # calamine yields rows from row 1 and columns from the first used one.
            for index, values in enumerate(rows, start=1):
                if index > limits.max_rows + _TITLE_ROWS:
                    raise WorkbookRefused(MSG_TOO_MANY_ROWS.format(rows=limits.max_rows))
                yield index, values[: limits.max_columns]
            return
        sheet = self._openpyxl()[name]
        try:
            for index, values in enumerate(
                sheet.iter_rows(values_only=True, max_col=limits.max_columns), start=1
            ):
                if index > limits.max_rows + _TITLE_ROWS:
                    raise WorkbookRefused(MSG_TOO_MANY_ROWS.format(rows=limits.max_rows))
                yield index, list(values)
        except WorkbookRefused:
            raise
        except Exception:  # noqa: BLE001
            raise WorkbookRefused(MSG_BROKEN) from None
