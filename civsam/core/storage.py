"""Files for download: the one way a view hands a stored file (uploaded or rendered) to a browser.

On the local file system the file is streamed by the web process. On S3-compatible storage
(django-storages, selected by the CIVSAM_S3_* settings, docs/operations.md) the web process
answers with a redirect to a presigned URL that expires after CIVSAM_SIGNED_URL_SECONDS (a
minute by default): the bucket stays private, the bytes do not pass through the web process, and
a link copied from the browser stops working soon after.

Private files (anything not public, such as the PDF of a draft report or an attachment to a
consultation response) are sent with `Cache-Control: private, no-store`, so that no shared cache
or back button keeps them; a redirect to a presigned URL is never stored either.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import Storage
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, HttpResponse, HttpResponseRedirect
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header

DEFAULT_SIGNED_URL_SECONDS = 60


def signs_urls(storage: Storage) -> bool:
    """True when the storage serves files itself through signed, expiring URLs (S3)."""
    from storages.backends.s3 import S3Storage

    return isinstance(storage, S3Storage) and bool(storage.querystring_auth)


def signed_url(storage: Storage, name: str, *, filename: str, content_type: str | None, as_attachment: bool) -> str:
    """A presigned GET URL for `name` that tells the browser the file's name and type."""
    parameters = {"ResponseContentDisposition": content_disposition_header(as_attachment, filename)}
    if content_type:
        parameters["ResponseContentType"] = content_type
    seconds = int(getattr(settings, "CIVSAM_SIGNED_URL_SECONDS", DEFAULT_SIGNED_URL_SECONDS))
    return storage.url(name, parameters=parameters, expire=seconds)


def serve_file(
    file: FieldFile,
    *,
    filename: str,
    content_type: str | None = None,
    as_attachment: bool = False,
    private: bool = True,
) -> HttpResponse:
    """The response that delivers a stored file: a redirect to a short-lived signed URL on S3,
    the file streamed from disk otherwise. The caller has checked that the user may have it."""
    storage = file.storage
    if signs_urls(storage):
        url = signed_url(storage, file.name, filename=filename, content_type=content_type, as_attachment=as_attachment)
        response: HttpResponse = HttpResponseRedirect(url)
        patch_cache_control(response, no_store=True, private=True)
        return response
    response = FileResponse(file.open("rb"), as_attachment=as_attachment, filename=filename, content_type=content_type)
    if private:
        patch_cache_control(response, no_store=True, private=True)
    return response
