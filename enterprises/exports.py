"""The firm list as an xlsx file, written in the background with flat memory.

openpyxl's write-only workbook streams rows to a temporary file and the firms come from the database in
chunks (``iterator``), so a worker holds one chunk at a time whether the list has 10,000 rows or 100,000.
"""

import tempfile

from django.core.files import File
from django.http import QueryDict
from django.utils.translation import gettext as _
from openpyxl import Workbook

from enterprises.filters import EnterpriseFilter
from enterprises.models import Enterprise, EnterpriseExport, Industry, Scale
from fuyang_portal import clock
from fuyang_portal.exports import neutralise

CHUNK = 2000


def columns():
    return [_("name"), _("unified social credit code"), _("township"), _("village or community"), _("scale"), _("industry"),
            _("registered headcount"), _("legal representative"), _("address")]


def firms_for(export):
    """The firms the requester sees, filtered as the list was, in a stable order."""
    base = Enterprise.objects.visible_to(export.requested_by)
    filtered = EnterpriseFilter(QueryDict(export.query), queryset=base).qs
    return filtered.select_related("township", "village", "community").order_by("pk")


def write(export):
    """Write ``export``'s file, updating its progress every chunk. Returns the number of rows."""
    firms = firms_for(export)
    total = firms.count()
    EnterpriseExport.objects.filter(pk=export.pk).update(status=EnterpriseExport.Status.RUNNING, rows_total=total, rows_done=0)
    scales, industries = dict(Scale.choices), dict(Industry.choices)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Enterprises"))
    sheet.append(columns())
    done = 0
    for firm in firms.iterator(chunk_size=CHUNK):
        place = firm.village or firm.community
        sheet.append(
            [
                neutralise(firm.name),
                firm.credit_code,
                firm.township.name,
                place.name if place else "",
                str(scales.get(firm.scale, firm.scale)),
                str(industries.get(firm.industry, firm.industry)),
                firm.registered_headcount,
                neutralise(firm.legal_representative),
                neutralise(firm.address),
            ]
        )
        done += 1
        if done % CHUNK == 0:
            EnterpriseExport.objects.filter(pk=export.pk).update(rows_done=done)
    with tempfile.TemporaryFile(suffix=".xlsx") as handle:
        workbook.save(handle)
        handle.seek(0)
        export.file.save(f"firms-{clock.today():%Y%m%d}.xlsx", File(handle), save=False)
    export.status = EnterpriseExport.Status.DONE
    export.rows_total = total
    export.rows_done = done
    export.finished_at = clock.now()
    export.save(update_fields=["file", "status", "rows_total", "rows_done", "finished_at"])
    return done
