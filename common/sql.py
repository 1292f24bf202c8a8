"""SQL shapes the ORM does not choose by itself: many rows inserted at once (a partner file's import, the demo data
write thousands), and a slice of a list read by its keys first."""
from __future__ import annotations

import operator
from collections.abc import Callable, Sequence

from django.db import DEFAULT_DB_ALIAS, connection, connections, models
from django.db.models import Model

# Columns whose Python value is already what both databases take: their get_db_prep_save changes nothing.
_AS_IS = {models.CharField, models.TextField, models.EmailField, models.BooleanField, models.IntegerField,
          models.SmallIntegerField, models.BigIntegerField, models.PositiveIntegerField, models.PositiveSmallIntegerField}


def keys_first(queryset, bottom: int, top: int) -> list[Model]:
    """The rows of queryset[bottom:top], their keys read first, then the rows: the keys come from an index alone
    where one holds the filter and the order (the open tasks by due date, with their step's permission); in one
    query with its joins the database read each row it walked past, other teams' tasks included, to test it."""
    keys = list(queryset.values_list("pk", flat=True)[bottom:top])
    if queryset.query.annotations:  # what a row shows is computed there: read it with the list's filters
        rows = queryset.order_by().filter(pk__in=keys)
    else:
        # The keys have passed the list's filters: given them again beside the keys, the planner once read half
        # the open tasks through bitmaps (0.5 s at a million cases) rather than look up 50 keys.
        rows = queryset.model._default_manager.filter(pk__in=keys)
        rows.query.select_related, rows.query.deferred_loading = queryset.query.select_related, queryset.query.deferred_loading
    by_key = {row.pk: row for row in rows}
    return [by_key[key] for key in keys]


def insert_many(model, fields: Sequence[str], rows: list[tuple], *, returning: bool = False) -> list[int]:
    """Insert `rows` (values in the order of `fields`) into the model's table: COPY on PostgreSQL, else multi-row
    INSERTs, which can return the keys they made (`returning`, SQLite only: COPY returns nothing).

    Cheaper than building thousands of model instances for bulk_create, and COPY is the fastest way PostgreSQL
    takes many rows (figures in benchmarks/README.md).
    """
    if not rows:
        return []
    model_fields = [model._meta.get_field(f) for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in model_fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            if returning:
                raise ValueError("COPY returns no keys: reserve them first (insert_objects)")
            with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return []
        row_sql = "(" + ", ".join(["%s"] * len(fields)) + ")"
        tail = f" RETURNING {connection.ops.quote_name(model._meta.pk.column)}" if returning else ""
        keys = []
        size = connection.ops.bulk_batch_size(model_fields, rows)
        for start in range(0, len(rows), size):
            part = rows[start : start + size]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES {', '.join([row_sql] * len(part))}{tail}",
                           [v for row in part for v in row])
            keys += [key for (key,) in cursor.fetchall()] if returning else []
        return keys


def insert_objects(objs: list[Model]) -> list[Model]:
    """What bulk_create does for the bulk paths — the same rows, their primary keys set — without compiling SQL
    for every value, which was over half of a 10,000-row import (benchmarks/README.md). Sends no signals, as
    bulk_create sends none. The objects are of one model whose primary key the database assigns.
    """
    if not objs:
        return objs
    model = type(objs[0])
    fields = [f for f in model._meta.concrete_fields if f is not model._meta.pk]
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: its proxy costs a lookup per value
    values = [_column_value(f, db) for f in fields]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_objects")  # a related row saved since: its id
        rows.append(tuple(value(obj) for value in values))
    names = [f.name for f in fields]
    if db.vendor == "postgresql":
        # COPY returns nothing: the keys are taken from the table's sequence first, then written with the rows.
        with db.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                           [model._meta.db_table, model._meta.pk.column, len(rows)])
            keys = [key for (key,) in cursor.fetchall()]
        insert_many(model, (model._meta.pk.name, *names), [(key, *row) for key, row in zip(keys, rows, strict=True)])
    else:
        keys = insert_many(model, names, rows, returning=True)
    for obj, key in zip(objs, keys, strict=True):
        obj.pk = key
        obj._state.adding, obj._state.db = False, db.alias
    return objs


def _column_value(field: models.Field, db) -> Callable[[Model], object]:
    """How one column's value is read off a new row. Most take the attribute as it is; asking each field to
    prepare each value was a sixth of a 10,000-row import. Dates are as-is for PostgreSQL's driver only (SQLite
    stores them as text); anything else (times, which Django makes aware, JSON, viewflow's references) goes
    through the field."""
    plain = (type(field) in _AS_IS
             or (isinstance(field, models.ForeignKey) and isinstance(field.target_field, models.IntegerField))
             or (db.vendor == "postgresql" and type(field) is models.DateField and not (field.auto_now or field.auto_now_add)))
    if plain:
        return operator.attrgetter(field.attname)
    prepared = {}  # the same value on many rows (the batch's time, a flow node) is prepared once

    def value(obj):
        raw = field.pre_save(obj, True)
        try:
            return prepared[type(raw), raw]
        except KeyError:
            result = prepared[type(raw), raw] = field.get_db_prep_save(raw, db)
        except TypeError:  # unhashable (a JSON dict)
            result = field.get_db_prep_save(raw, db)
        return result

    return value
