"""Uploads are recognised by content and size, not by their names."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from fuyang_portal.uploads import FileCheck, sniff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


# Named by kind: the zip's bytes carry the time it was written, and every process collecting must see one name.
@pytest.mark.parametrize(
    "content,kind", [(PDF, "pdf"), (PNG, "png"), (b"\xff\xd8\xff\xe0rest", "jpeg"), (_docx(), "docx")], ids=["pdf", "png", "jpeg", "docx"]
)
def test_files_are_recognised_by_content(content, kind):
    assert sniff(io.BytesIO(content)) == kind


def test_a_file_renamed_to_pdf_is_refused_in_chinese():
    fake = SimpleUploadedFile("plan.pdf", b"MZ\x90\x00 this is an executable")
    with pytest.raises(ValidationError) as error:
        FileCheck()(fake)
    assert error.value.code == "file_type"


def test_a_zip_that_is_not_a_word_file_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("evil.sh", "rm -rf /")
    with pytest.raises(ValidationError):
        FileCheck()(SimpleUploadedFile("plan.docx", buffer.getvalue()))


def test_oversized_and_empty_files_are_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with pytest.raises(ValidationError) as error:
        FileCheck()(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048))
    assert error.value.code == "file_too_large"
    with pytest.raises(ValidationError) as error:
        FileCheck()(SimpleUploadedFile("empty.pdf", b""))
    assert error.value.code == "file_empty"


def test_a_real_pdf_within_the_limit_passes():
    FileCheck()(SimpleUploadedFile("plan.pdf", PDF))
