"""Table exports (csv, xlsx) that a spreadsheet cannot turn into formulas."""

from django_tables2.export import TableExport

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """Prefix a text cell that a spreadsheet would read as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeTableExport(TableExport):
    def table_to_dataset(self, table, exclude_columns, dataset_kwargs=None):
        dataset = super().table_to_dataset(table, exclude_columns, dataset_kwargs)
        # tablib rows are tuples; rebuild each row with neutralised cells.
        for index in range(len(dataset)):
            dataset[index] = tuple(neutralise(value) for value in dataset[index])
        return dataset
