"""Uploaded files: recognised by their content, limited in size, stored outside the web root, and served
only by views that have already found the owning record through ``visible_to``."""

import mimetypes
import uuid
import zipfile
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

KIND_LABELS = {"pdf": "PDF", "docx": "Word (DOCX)", "jpeg": "JPEG", "png": "PNG", "xlsx": "Excel (XLSX)"}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "jpeg": "image/jpeg",
    "png": "image/png",
}
DOCUMENT_KINDS = ("pdf", "docx", "jpeg", "png")
IMAGE_KINDS = ("jpeg", "png", "pdf")


def sniff(fileobj):
    """Return the kind of file by its first bytes (and, for Office files, its zip directory), or None."""
    position = fileobj.tell() if hasattr(fileobj, "tell") else 0
    fileobj.seek(0)
    head = fileobj.read(8)
    kind = None
    if head.startswith(b"%PDF-"):
        kind = "pdf"
    elif head.startswith(b"\x89PNG\r\n\x1a\n"):
        kind = "png"
    elif head.startswith(b"\xff\xd8\xff"):
        kind = "jpeg"
    elif head.startswith(b"PK\x03\x04"):
        fileobj.seek(0)
        try:
            with zipfile.ZipFile(fileobj) as archive:
                names = set(archive.namelist())
        except zipfile.BadZipFile:
            names = set()
        if "word/document.xml" in names:
            kind = "docx"
        elif "xl/workbook.xml" in names:
            kind = "xlsx"
    fileobj.seek(position)
    return kind


@deconstructible
class FileCheck:
    """A field validator: the file must be one of ``kinds`` by content, and at most ``max_bytes``."""

    def __init__(self, kinds=DOCUMENT_KINDS, max_bytes=None):
        self.kinds = tuple(kinds)
        self.max_bytes = max_bytes

    def __call__(self, upload):
        limit = self.max_bytes or settings.UPLOAD_MAX_BYTES
        if upload.size > limit:
            raise ValidationError(
                _("The file is %(size).1f MB; the limit is %(limit)d MB."),
                code="file_too_large",
                params={"size": upload.size / 1048576, "limit": limit // 1048576},
            )
        if upload.size == 0:
            raise ValidationError(_("The file is empty."), code="file_empty")
        kind = sniff(upload)
        if kind not in self.kinds:
            raise ValidationError(
                _("This file is not a %(kinds)s file, whatever its name says."),
                code="file_type",
                params={"kinds": " / ".join(KIND_LABELS[k] for k in self.kinds)},
            )

    def __eq__(self, other):
        return isinstance(other, FileCheck) and (self.kinds, self.max_bytes) == (other.kinds, other.max_bytes)


class _PrivateStorage(LazyObject):
    """The storage of settings.STORAGES["private"]: a folder (PRIVATE_MEDIA_ROOT) or an S3-compatible bucket,
    chosen by PRIVATE_STORAGE_BACKEND alone. No base_url: these files have no public address."""

    def _setup(self):
        config = settings.STORAGES["private"]
        options = dict(config.get("OPTIONS", {}))
        backend = import_string(config["BACKEND"])
        if issubclass(backend, FileSystemStorage):
            # Read when first used, not when settings were loaded: each test points it at its own folder.
            options["location"] = settings.PRIVATE_MEDIA_ROOT
        self._wrapped = backend(**options)


private_storage = _PrivateStorage()


@deconstructible
class PrivateUploadTo:
    """An ``upload_to`` that keeps the extension but never the uploader's file name."""

    def __init__(self, folder):
        self.folder = folder

    def __call__(self, instance, filename):
        suffix = PurePosixPath(filename).suffix.lower()[:8]
        return f"{self.folder}/{uuid.uuid4().hex}{suffix}"

    def __eq__(self, other):
        return isinstance(other, PrivateUploadTo) and other.folder == self.folder


def serve_private(field_file, *, download_name=None):
    """Stream a private file. Call only after the record was found through ``visible_to``."""
    kind = sniff(field_file.open("rb"))
    content_type = CONTENT_TYPES.get(kind) or mimetypes.guess_type(field_file.name)[0] or "application/octet-stream"
    response = FileResponse(
        field_file.open("rb"),
        content_type=content_type,
        as_attachment=kind not in ("pdf", "jpeg", "png"),
        filename=download_name or PurePosixPath(field_file.name).name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def get_private_storage():
    """Use as ``FileField(storage=get_private_storage)``: migrations keep a reference, not a folder."""
    return private_storage
