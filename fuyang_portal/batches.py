"""Rows with facts read for a batch of them at once (a firm's tag names, a vacancy's candidate counts): one more
statement per 2,000 rows, instead of a subquery or a join evaluated for every row in the rows' own statement."""

from django.db.models.query import ModelIterable


class FactsInBatches(ModelIterable):
    """A queryset's rows, passed to ``add_facts(rows)`` in batches of ``batch`` before they are handed out."""

    batch = 2000

    def __iter__(self):
        buffered = []
        for row in super().__iter__():
            buffered.append(row)
            if len(buffered) == self.batch:
                yield from self.add_facts(buffered)
                buffered = []
        if buffered:
            yield from self.add_facts(buffered)

    def add_facts(self, rows):
        raise NotImplementedError
