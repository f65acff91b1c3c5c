"""Private uploads are stored where PRIVATE_STORAGE_BACKEND says, the setting alone choosing a folder or a bucket."""

import os
import subprocess
import sys

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage

from fuyang_portal.uploads import private_storage

PROBE = (
    "import django; django.setup(); from fuyang_portal.uploads import private_storage as s; s._setup(); w = s._wrapped; "
    "print(type(w).__module__ + '.' + type(w).__name__, w.bucket_name, w.location, w.default_acl, w.querystring_auth, "
    "w.file_overwrite, w.endpoint_url)"
)


def settings_process(**env):
    base = {key: value for key, value in os.environ.items() if not key.startswith(("AWS_", "PRIVATE_STORAGE"))}
    return subprocess.run([sys.executable, "-c", PROBE], check=False, env={**base, "DJANGO_SETTINGS_MODULE": "fuyang_portal.settings", **env},
                          capture_output=True, text=True, timeout=120, cwd=settings.BASE_DIR)


def test_by_default_uploads_go_to_the_private_folder():
    name = private_storage.save("plans/a.pdf", ContentFile(b"%PDF-1.4"))
    assert isinstance(private_storage._wrapped, FileSystemStorage)
    assert (settings.PRIVATE_MEDIA_ROOT / name).read_bytes() == b"%PDF-1.4"


def test_s3_is_chosen_by_setting_alone_and_keeps_objects_private():
    answer = settings_process(PRIVATE_STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="fuyang-uploads",
                              AWS_S3_ENDPOINT_URL="http://minio.internal:9000")
    assert answer.returncode == 0, answer.stderr
    assert answer.stdout.split() == ["storages.backends.s3.S3Storage", "fuyang-uploads", "private", "private", "True",
                                     "False", "http://minio.internal:9000"]


def test_s3_without_a_bucket_is_refused_at_start():
    answer = settings_process(PRIVATE_STORAGE_BACKEND="s3")
    assert answer.returncode != 0 and "AWS_STORAGE_BUCKET_NAME" in answer.stderr


def test_an_unknown_backend_is_refused_at_start():
    answer = settings_process(PRIVATE_STORAGE_BACKEND="ftp")
    assert answer.returncode != 0 and "PRIVATE_STORAGE_BACKEND must be filesystem or s3" in answer.stderr
