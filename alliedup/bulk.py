"""Bulk writes: COPY on PostgreSQL (about ten times faster than INSERT for thousands of
rows), bulk_create elsewhere (the SQLite demo). Used by the data generators and by jobs that
write many rows at once (a pay run's lines)."""

from __future__ import annotations

import io
import json
import queue
import threading
from collections.abc import Iterable
from datetime import datetime
from itertools import chain, islice
from operator import itemgetter

from django.db import connection, models

BATCH_SIZE = 5000
COPY_READ_SIZE = 1 << 16  # bytes psycopg2 reads from the buffer at a time (8 KiB by default)
ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def bulk_insert(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """bulk_create `rows` (an iterable, consumed in chunks so memory stays flat); return the count."""
    rows = iter(rows)
    total = 0
    while chunk := list(islice(rows, BATCH_SIZE)):
        model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        total += len(chunk)
    return total


def copy_rows(model: type[models.Model], rows: Iterable[dict], *, same: dict | None = None) -> int:
    """Insert `rows` ({attname: value}; `same`: columns every row shares; missing columns get
    the field's default; without "id" the database numbers the rows) with COPY on PostgreSQL,
    ten times faster than bulk_create, and bulk_create elsewhere. Returns the count."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = chain([first], rows)
    copy = _Copy(model, first, same or {})
    if connection.vendor != "postgresql":
        return bulk_insert(model, (model(**copy.complete(row)) for row in rows))
    # One COPY however many rows (a pay run's query count stays the same at any size), the
    # text made as psycopg2 reads it, so memory stays flat.
    with connection.cursor() as cursor, connection.wrap_database_errors:  # Django's IntegrityError etc., as the ORM raises
        cursor.copy_expert(copy.sql, _Reader(copy.text_lines(rows)), COPY_READ_SIZE)
    return copy.counted


def copy_pieces(model: type[models.Model], pieces: Iterable[Iterable[dict]], *, same: dict | None = None) -> int:
    """copy_rows of each piece in turn, one COPY each, the next piece's text made by a thread
    while the database writes the previous one. Foreign keys (and other AFTER triggers) are
    checked at the end of a statement, not as its rows arrive, so a single COPY leaves the
    database idle while Python makes the rows and Python idle while the database checks them;
    in pieces the two overlap (a pay run's lines: the pricing hides behind the key checks of
    the piece before). The rows of a piece must not be needed by the thread's caller before
    this returns (the thread consumes them); they may run no query (the thread has no
    connection of its own). A fixed number of pieces keeps the query count constant."""
    pieces = iter(pieces)
    if connection.vendor != "postgresql":
        return sum(copy_rows(model, piece, same=same) for piece in pieces)
    texts: queue.Queue = queue.Queue(maxsize=1)
    stop = threading.Event()
    copy: list[_Copy] = []

    def hand_over(item) -> bool:
        """Put `item` in the queue unless the caller has stopped reading; False once it has."""
        while not stop.is_set():
            try:
                texts.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def make_texts() -> None:
        try:
            with connection.execute_wrapper(_no_query):  # this thread's own connection (Django's are per thread)
                _make_texts()
        except BaseException as exc:  # handed to the caller's thread, which raises it
            hand_over(exc)
        finally:
            connection.close()  # had a query opened one (refused above), it is not left behind

    def _make_texts() -> None:
        for piece in pieces:
            if stop.is_set():
                return
            rows = iter(piece)
            first = next(rows, None)
            if first is None:
                continue
            if not copy:
                copy.append(_Copy(model, first, same or {}))
            if not hand_over("".join(copy[0].text_lines(chain([first], rows)))):
                return
        hand_over(None)

    maker = threading.Thread(target=make_texts, name="copy_pieces", daemon=True)
    maker.start()
    try:
        with connection.cursor() as cursor, connection.wrap_database_errors:
            while (text := texts.get()) is not None:
                if isinstance(text, BaseException):
                    raise text
                # The whole piece in one read: psycopg2 holds the GIL while it reads, and
                # hands it back while the database works.
                cursor.copy_expert(copy[0].sql, io.StringIO(text), max(len(text), 1))
    finally:
        stop.set()
        maker.join()
    return copy[0].counted if copy else 0


def _no_query(*_):
    raise RuntimeError("copy_pieces: making a piece ran a query; its thread is outside the caller's transaction, "
                       "so read everything before.")


class _Copy:
    """How rows of `model` become COPY's text, worked out from the first row once: the
    columns, each column's conversion, and the defaults of columns a row leaves out."""

    def __init__(self, model: type[models.Model], first: dict, same: dict):
        pk = model._meta.pk
        # Without ids in the rows, the database numbers them (the primary key is left out).
        fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in first or pk.attname in same]
        self.per_row = [f for f in fields if f.has_default() and callable(f.default) and f.attname not in same]
        # A column neither a row nor its default fills is NULL.
        self.fixed = {**{f.attname: None if f in self.per_row else f.get_default() for f in fields}, **same}
        values_of = itemgetter(*[f.attname for f in fields])
        if len(fields) == 1:
            values_of = lambda row, _get=values_of: (_get(row),)  # noqa: E731 (itemgetter of one name gives no tuple)
        self.values_of = values_of
        self.convert = [(i, c) for i, c in ((i, _converter(f)) for i, f in enumerate(fields)) if c is not None]
        self.sql = f"COPY {model._meta.db_table} ({', '.join(f.column for f in fields)}) FROM STDIN WITH (NULL 'None')"
        self.counted = 0

    def complete(self, row: dict) -> dict:
        missing = {f.attname: f.get_default() for f in self.per_row if f.attname not in row}
        return {**self.fixed, **missing, **row}

    def text_lines(self, rows):
        per_row, fixed, values_of, convert = self.per_row, self.fixed, self.values_of, self.convert
        for row in rows:
            if per_row and any(f.attname not in row for f in per_row):
                row = self.complete(row)
            values = values_of({**fixed, **row})
            if convert:
                values = list(values)
                for i, c in convert:
                    if values[i] is not None:
                        values[i] = c(values[i])
            self.counted += 1
            yield "\t".join(map(str, values)) + "\n"


# COPY's text format with "None" as the NULL marker, so a row's values are written with str()
# alone (numbers, dates, ids, True/False: a pay run writes hundreds of thousands of values);
# only text, JSON and time columns are converted first, once per value: text escapes
# backslash, tab and line breaks, and the text "None" is written N\one (PostgreSQL matches the
# NULL marker before it reads escapes). DateTimeField: ISO 8601.
def _converter(field):
    if isinstance(field, models.JSONField):
        return lambda v: _text(json.dumps(v, cls=field.encoder))
    if isinstance(field, (models.CharField, models.TextField)):
        return _text
    if isinstance(field, models.DateTimeField):
        return datetime.isoformat
    return None


class _Reader:
    """A file psycopg2 reads COPY data from, filled from an iterator of text lines."""

    def __init__(self, lines):
        self._lines, self._buffer = lines, ""

    def read(self, size: int = -1) -> str:
        while size < 0 or len(self._buffer) < size:
            more = "".join(islice(self._lines, 1000))
            if not more:
                break
            self._buffer += more
        if size < 0:
            size = len(self._buffer)
        out, self._buffer = self._buffer[:size], self._buffer[size:]
        return out


def _text(value) -> str:
    text = str(value).translate(ESCAPES)
    return "N\\one" if text == "None" else text
