"""The bank transfer file of a payout batch (xlsx), written by the page and the API alike."""

from io import BytesIO

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook

from fuyang_portal import audit
from fuyang_portal.exports import neutralise
from fuyang_portal.models import AuditEvent
from subsidies import services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def transfer_workbook(batch):
    book = Workbook()
    sheet = book.active
    sheet.title = batch.number
    sheet.append([_("Claim"), _("Payee"), _("Unified social credit code"), _("Bank"), _("Account"), _("Amount (yuan)"), _("Invoice number"), _("Purpose")])
    purpose = _("Charter bus subsidy")
    for line, payee, code, bank, account, amount, invoice, other_purpose in services.payout_rows(batch):
        sheet.append([line, neutralise(payee), code, neutralise(bank), str(account), amount, str(invoice), neutralise(other_purpose) or purpose])
    for row in sheet.iter_rows(min_row=2, min_col=6, max_col=6):
        for cell in row:
            cell.number_format = "#,##0.00"
    # Account numbers are text: a spreadsheet must not round 19 digits to a float.
    for row in sheet.iter_rows(min_row=2, min_col=5, max_col=5):
        for cell in row:
            cell.number_format = "@"
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def transfer_file_response(request, batch):
    content = transfer_workbook(batch)
    audit.record(AuditEvent.Kind.EXPORT, request, target=f"payout:{batch.number}", detail="bank transfer file")
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="payout-{batch.number}.xlsx"'
    return response
