"""Import of organisations from CSV and XLSX files: upload, preview, confirm, result.

The uploaded file waits between the steps under MEDIA_ROOT/imports, named by a random token that
is bound to the user (in the session and in a side file) and deleted once the import is applied.
Nothing from the client is ever used as a path.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from civsam.core.exports import Column, csv_rows, csv_stream
from civsam.core.loading import require
from civsam.core.models import ActivityClass, LegalForm, Municipality, SocietalRole

from .. import permissions
from ..forms import ImportForm
from ..models import ImportRun
from .layout import COLUMNS, TEMPLATE_COLUMNS
from .services import INLINE_DUPLICATE_LIMIT, organisations_import

TOKEN = re.compile(r"[A-Za-z0-9_-]{43}")
SESSION_TOKENS = "registry_import_tokens"
SESSION_RESULT = "registry_import_result"
KEEP_SECONDS = 24 * 3600
ERRORS_SHOWN = 500


def _require_import(request) -> None:
    require(permissions.can_import_organisations(request.user))


def _folder() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def _paths(token: str) -> tuple[Path, Path]:
    folder = _folder()
    return folder / f"{token}.upload", folder / f"{token}.json"


def _purge_stale() -> None:
    """Uploads that were never confirmed are removed after a day."""
    folder = _folder()
    if not folder.is_dir():
        return
    limit = time.time() - KEEP_SECONDS
    for path in folder.iterdir():
        try:
            if path.is_file() and path.stat().st_mtime < limit:
                path.unlink()
        except OSError:
            pass  # another process removed it first


def _store(request, uploaded) -> str:
    _purge_stale()
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    data_path, meta_path = _paths(token)
    with data_path.open("xb") as handle:
        for chunk in uploaded.chunks():
            handle.write(chunk)
    # Only the last part of the client's file name is kept, and only for display.
    name = Path(str(uploaded.name).replace("\\", "/")).name[:200] or "import"
    meta_path.write_text(json.dumps({"user": request.user.pk, "name": name}), encoding="utf-8")
    tokens = [t for t in request.session.get(SESSION_TOKENS, []) if t != token][-9:]
    request.session[SESSION_TOKENS] = [*tokens, token]
    return token


def _load(request, token: str) -> tuple[str, bytes]:
    """The file name and contents of an upload by this user, or 404."""
    if not TOKEN.fullmatch(token) or token not in request.session.get(SESSION_TOKENS, []):
        raise Http404
    data_path, meta_path = _paths(token)
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("user") != request.user.pk:
            raise Http404
        return meta["name"], data_path.read_bytes()
    except (OSError, ValueError, KeyError) as exc:
        raise Http404 from exc


def _discard(request, token: str) -> None:
    for path in _paths(token):
        path.unlink(missing_ok=True)
    request.session[SESSION_TOKENS] = [t for t in request.session.get(SESSION_TOKENS, []) if t != token]


def _reference_lists() -> dict:
    return {
        "legal_forms": LegalForm.objects.filter(is_civil_society=True).order_by("code"),
        "municipalities": Municipality.objects.order_by("code"),
        "activity_classes": ActivityClass.objects.order_by("sort_order"),
        "roles": SocietalRole.objects.order_by("sort_order"),
    }


@require_http_methods(["GET", "POST"])
def import_start(request):
    _require_import(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    form.fields["file"].widget.attrs["accept"] = ".csv,.xlsx,.txt"
    if request.method == "POST" and form.is_valid():
        uploaded = form.cleaned_data["file"]
        if uploaded.size > settings.IMPORT_MAX_BYTES:
            form.add_error(
                "file",
                _("Filen är för stor. Största tillåtna storlek är %(max)s MB.")
                % {"max": settings.IMPORT_MAX_BYTES // (1024 * 1024)},
            )
        else:
            token = _store(request, uploaded)
            return redirect("registry:import-preview", token=token)
    context = {"form": form, "columns": COLUMNS, **_reference_lists()}
    return render(request, "registry/import.html", context)


@require_http_methods(["GET", "POST"])
def import_preview(request, token: str):
    """GET: the dry run. POST: apply it, then show the result."""
    _require_import(request)
    file_name, data = _load(request, token)
    if request.method == "POST":
        valid_rows_only = request.POST.get("valid_rows_only") == "1"
        result = organisations_import(
            actor=request.user, file_name=file_name, data=data, apply=True, valid_rows_only=valid_rows_only
        )
        if result.applied:
            _discard(request, token)
            request.session[SESSION_RESULT] = {
                "run": result.run_id,
                "flagged": result.duplicates_flagged,
                "deferred": result.duplicates_deferred,
                "warnings": result.warnings,
                "errors": [[e.line, e.column, e.message] for e in result.errors[:ERRORS_SHOWN]],
                "errors_total": len(result.errors) + result.errors_dropped,
            }
            return redirect("registry:import-done", pk=result.run_id)
        if result.file_error:
            pass  # the page says what is wrong with the file
        elif result.errors and not valid_rows_only:
            messages.error(
                request,
                _("Ingenting importerades: filen har fel. Rätta filen, eller välj att importera endast giltiga rader."),
            )
        else:
            messages.error(request, _("Ingenting importerades: filen har inga giltiga rader."))
    else:
        result = organisations_import(actor=request.user, file_name=file_name, data=data, apply=False)
    context = {
        "result": result,
        "token": token,
        "row_errors": [e for e in result.errors if e.line][:ERRORS_SHOWN],
        "errors_total": len(result.errors) + result.errors_dropped,
        "inline_limit": INLINE_DUPLICATE_LIMIT,
    }
    return render(request, "registry/import_preview.html", context)


@require_GET
def import_errors(request, token: str):
    """The per-row errors of an upload as CSV (line, column, message), for fixing the file."""
    _require_import(request)
    file_name, data = _load(request, token)
    result = organisations_import(actor=request.user, file_name=file_name, data=data, apply=False)
    columns = [
        Column("rad", _("Rad"), lambda e: e.line or ""),
        Column("kolumn", _("Kolumn"), lambda e: e.column),
        Column("fel", _("Fel"), lambda e: e.message),
    ]
    response = StreamingHttpResponse(csv_stream(columns, result.errors), content_type="text/csv; charset=utf-8")
    stem = Path(file_name).stem[:80] or "import"
    safe_stem = re.sub(r"[^A-Za-z0-9_-]+", "_", stem)
    response["Content-Disposition"] = f'attachment; filename="fel-{safe_stem}.csv"'
    return response


@require_GET
def import_template(request):
    """An empty file with the columns the import reads (the codes, not the names)."""
    _require_import(request)
    header = "".join(csv_rows([[c.key for c in TEMPLATE_COLUMNS]]))
    response = HttpResponse(header, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organisationer-mall.csv"'
    return response


@require_GET
def import_done(request, pk: int):
    _require_import(request)
    run = get_object_or_404(ImportRun, pk=pk)
    if run.actor_id != request.user.pk and not request.user.is_superuser:
        raise Http404
    summary = request.session.get(SESSION_RESULT) or {}
    if summary.get("run") != run.pk:
        summary = {}
    context = {
        "run": run,
        "flagged": summary.get("flagged", 0),
        "deferred": summary.get("deferred", False),
        "warnings": summary.get("warnings", []),
        "row_errors": summary.get("errors", []),
        "errors_total": summary.get("errors_total", 0),
        "inline_limit": INLINE_DUPLICATE_LIMIT,
    }
    return render(request, "registry/import_result.html", context)
