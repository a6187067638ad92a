"""Reading an uploaded CSV file (shift import, roster import): the text, its records with the
line each starts on, and a checked header. Each importer passes its limits and how its errors
are shaped (`error(message) -> ValidationError`), so a form shows them where it expects."""

import csv
import io
from collections.abc import Callable, Sequence

from django.core.exceptions import ValidationError

ErrorMaker = Callable[[str], ValidationError]


def csv_text(csv_file, *, max_bytes: int, max_rows: int, error: ErrorMaker = ValidationError) -> str:
    """The file as text: str as is, bytes (or an uploaded file) decoded as UTF-8 (a byte order
    mark, as Excel writes, is dropped). Raises if it is too big or not UTF-8."""
    data = csv_file.read(max_bytes + 1) if hasattr(csv_file, "read") else csv_file
    if len(data) > max_bytes:
        raise error(f"The file is larger than {max_bytes // 1024} KB; split it (at most {max_rows} rows a file).")
    if isinstance(data, str):
        return data.removeprefix("\ufeff")
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise error(
            f"The file is not UTF-8 text (byte {exc.start + 1}). Save it as \"CSV UTF-8\" and upload it again."
        ) from None


def csv_records(text: str, *, max_rows: int, error: ErrorMaker = ValidationError) -> list[tuple[int, list[str]]]:
    """(line where the record starts, cells) for each non-blank record, the header first. Stops
    reading one record past the header and `max_rows`, so the caller can say "too many"."""
    reader = csv.reader(io.StringIO(text, newline=""))
    records, next_line = [], 1
    try:
        for cells in reader:
            if any(c.strip() for c in cells):
                records.append((next_line, cells))
            next_line = reader.line_num + 1  # a quoted value may span lines
            if len(records) > max_rows + 1:
                break
    except csv.Error as exc:
        raise error(f"Line {reader.line_num}: the file is not readable as CSV ({exc}).") from None
    return records


def csv_header(cells: list[str], *, columns: Sequence[str], required: Sequence[str], optional_note: str,
               error: ErrorMaker = ValidationError) -> list[str]:
    """The header's column names (lower case), or an error naming the missing, unknown and
    repeated ones. `optional_note` tells which columns may be left out."""
    names = [c.strip().lower() for c in cells]
    problems = []
    if missing := [c for c in required if c not in names]:
        problems.append(f"missing {', '.join(missing)}")
    if unknown := [n or "(blank)" for n in names if n not in columns]:
        problems.append(f"unknown {', '.join(unknown)}")
    if repeated := sorted({n for n in names if n and names.count(n) > 1}):
        problems.append(f"repeated {', '.join(repeated)}")
    if problems:
        raise error(f"Line 1 must be the header, columns in any order: {','.join(columns)} ({optional_note}): "
                    + "; ".join(problems) + ".")
    return names
