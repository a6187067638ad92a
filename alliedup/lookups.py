"""`field__any_of=ids`: the IN of a long list of ids as one array parameter.

Django's `__in` resolves, prepares and binds each value on its own, which for the 10,000
workers of a big co-op's pay run cost more than the query itself (docs/benchmarks.md, issue
17). On PostgreSQL `any_of` sends the list as one array (`= ANY(%s)`, the form PostgreSQL turns
an IN list into anyway); elsewhere (SQLite, the demo) it is the ordinary IN. Plain values only
(ids, codes), not querysets or expressions: use `__in` for those.
"""

from django.db.models import Field, ForeignObject
from django.db.models.lookups import In


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        values = [field.get_db_prep_value(value, connection) for value in self.rhs if value is not None]  # as IN: None never matches
        return f"{lhs} = ANY(%s)", (*lhs_params, values)


# Foreign keys keep their own lookups (RelatedIn…), so they are given it too: `worker_id__any_of`.
Field.register_lookup(AnyOf)
ForeignObject.register_lookup(AnyOf)
