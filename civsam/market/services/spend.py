"""Writes of the share of spend: spend files read as a stream, their sums stored per layer and year."""


import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from civsam.core.models import AuditEntry
from civsam.core.services import audit_log

from .. import layers, permissions, selectors, spendfile
from ..models import (
    Buyer,
    SpendInvoice,
    SpendShare,
    SpendUpload,
)

DATA_DIR = Path(__file__).parent.parent / "data"
KEEP_BATCH = 5000



# --- Spend files ---------------------------------------------------------------------------------------


@dataclass
class SpendImportResult:
    upload: SpendUpload | None
    errors: list[str]
    error_count: int = 0
    rows: int = 0


def _buyer_names(buyer: Buyer) -> list[str]:
    if buyer.municipality_id:
        m = buyer.municipality
        return [m.code, m.name, m.official_name, m.body_name]
    organisation = buyer.organisation
    return [organisation.orgnr or "", organisation.name]


def spend_sums_store(
    *,
    actor,
    buyer: Buyer,
    sums: spendfile.SpendSums,
    file_name: str,
    keep_rows: bool,
    upload: SpendUpload | None = None,
    is_demo: bool = False,
) -> SpendUpload:
    """Compute the layers from the sums and store them, replacing the buyer's figures for the
    years the file covers. Called inside the import's transaction."""
    years = sums.years
    facts = selectors.supplier_facts(supplier for _year, supplier in sums.sums)
    computed = layers.layer_sums(
        sums.sums,
        facts,
        reserved=selectors.reserved_suppliers(buyer, years),
        iop=selectors.iop_suppliers(buyer, years),
    )
    upload = upload or SpendUpload(buyer=buyer)
    upload.uploaded_by = actor if getattr(actor, "is_authenticated", False) else None
    upload.file_name = file_name[:255]
    upload.row_count = sums.rows
    upload.first_year, upload.last_year = years[0], years[-1]
    upload.keep_rows = keep_rows
    upload.is_demo = is_demo
    upload.save()
    SpendShare.objects.filter(buyer=buyer, year__in=years).delete()
    SpendShare.objects.bulk_create(
        [
            SpendShare(
                buyer=buyer,
                upload=upload,
                year=item.year,
                layer=item.layer,
                amount=Decimal(item.ore) / 100,
                supplier_count=item.suppliers,
                invoice_count=item.invoices,
            )
            for item in computed
        ]
    )
    audit_log(
        actor=actor,
        action=AuditEntry.Action.IMPORT,
        obj=upload,
        changes={"rows": [None, sums.rows], "years": [None, f"{years[0]}–{years[-1]}"], "keep_rows": [None, keep_rows]},
    )
    return upload


def spend_file_import(
    *, actor, buyer: Buyer, file: IO[bytes], file_name: str, keep_rows: bool = False
) -> SpendImportResult:
    """Read a spend file as a stream, and, if every row is good, store the layers per year (and the
    invoice rows, written in batches as they are read, if the buyer chose to keep them). Any bad
    row: nothing is written, and the rows' errors are returned in Swedish."""
    if actor is not None and not permissions.can_upload_spend_for(actor, buyer):
        raise PermissionDenied(_("Du kan bara ladda upp inköpsfiler för en köpare som du företräder."))
    try:
        with transaction.atomic():
            upload = None
            keep = None
            if keep_rows:
                upload = SpendUpload.objects.create(
                    buyer=buyer, file_name=file_name[:255], row_count=0, first_year=0, last_year=0, keep_rows=True
                )
                pending: list[SpendInvoice] = []

                def keep(supplier: str, ore: int, date: datetime.date) -> None:
                    # A sole trader's row is kept without its number: a personnummer is never stored.
                    pending.append(
                        SpendInvoice(upload=upload, supplier_orgnr=supplier, amount=Decimal(ore) / 100, date=date)
                    )
                    if len(pending) >= KEEP_BATCH:
                        SpendInvoice.objects.bulk_create(pending)
                        pending.clear()

            sums = spendfile.sum_rows(spendfile.read_rows(file, file_name), buyer_names=_buyer_names(buyer), keep=keep)
            if sums.error_count:
                transaction.set_rollback(True)
                return SpendImportResult(upload=None, errors=sums.errors, error_count=sums.error_count, rows=sums.rows)
            if keep_rows and pending:
                SpendInvoice.objects.bulk_create(pending)
            upload = spend_sums_store(
                actor=actor, buyer=buyer, sums=sums, file_name=file_name, keep_rows=keep_rows, upload=upload
            )
            return SpendImportResult(upload=upload, errors=[], rows=sums.rows)
    except spendfile.SpendFileError as exc:
        return SpendImportResult(upload=None, errors=[str(exc)], error_count=1)
