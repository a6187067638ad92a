"""Bulk writes: COPY on PostgreSQL (about ten times faster than INSERT for thousands of
rows), bulk_create elsewhere (the SQLite demo). Used by the data generators and by jobs that
write many rows at once (a pay run's lines)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from itertools import chain, islice

from django.db import connection, models

BATCH_SIZE = 5000
COPY_CHUNK = 100_000


def bulk_insert(model: type[models.Model], rows: Iterable[models.Model]) -> int:
    """bulk_create `rows` (an iterable, consumed in chunks so memory stays flat); return the count."""
    rows = iter(rows)
    total = 0
    while chunk := list(islice(rows, BATCH_SIZE)):
        model.objects.bulk_create(chunk, batch_size=BATCH_SIZE)
        total += len(chunk)
    return total



def copy_rows(model: type[models.Model], rows: Iterable[dict]) -> int:
    """Insert `rows` ({attname: value}; missing columns get the field's default; without "id"
    the database numbers the rows) with COPY on PostgreSQL, ten times faster than
    bulk_create, and bulk_create elsewhere. Returns the count."""
    rows = iter(rows)
    first = next(rows, None)
    if first is None:
        return 0
    rows = chain([first], rows)
    pk = model._meta.pk
    # Without ids in the rows, the database numbers them (the primary key is left out).
    fields = [f for f in model._meta.concrete_fields if f is not pk or pk.attname in first]
    per_row = [f for f in fields if f.has_default() and callable(f.default)]
    fixed = {f.attname: f.get_default() for f in fields if f not in per_row}

    def complete(row: dict) -> dict:
        missing = {f.attname: f.get_default() for f in per_row if f.attname not in row}
        return {**fixed, **missing, **row}

    if connection.vendor != "postgresql":
        return bulk_insert(model, (model(**complete(row)) for row in rows))

    # One converter per column, chosen once by field type (not per value: a pay run writes
    # hundreds of thousands of values). None is NULL (an unquoted empty field).
    def converter(field):
        if isinstance(field, models.BooleanField):
            return lambda v: "" if v is None else ("t" if v else "f")
        if isinstance(field, models.DateTimeField):
            return lambda v: "" if v is None else v.isoformat()
        return lambda v: "" if v is None else str(v)

    converters = [(f.attname, converter(f)) for f in fields]

    # An empty string in a NOT NULL text column must stay an empty string, not NULL.
    not_null = [f.column for f in fields if not f.null and isinstance(f, (models.CharField, models.TextField))]
    options = "FORMAT csv" + (f", FORCE_NOT_NULL ({', '.join(not_null)})" if not_null else "")
    sql = f"COPY {model._meta.db_table} ({', '.join(f.column for f in fields)}) FROM STDIN WITH ({options})"
    total, buffer = 0, io.StringIO()
    writer = csv.writer(buffer)
    with connection.cursor() as cursor:
        def flush():
            buffer.seek(0)
            cursor.copy_expert(sql, buffer)
            buffer.seek(0)
            buffer.truncate()

        for row in rows:
            row = complete(row)
            writer.writerow([convert(row[c]) for c, convert in converters])
            total += 1
            if total % COPY_CHUNK == 0:
                flush()
        if total % COPY_CHUNK:
            flush()
    return total
