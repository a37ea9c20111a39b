"""What the environment chooses for more than one app server (docs/deployment.md): uploads in an
S3 bucket with JINLIN_S3_BUCKET, the cache in Redis with REDIS_URL, sessions in the database;
with none of them set, a fresh checkout keeps today's single-server defaults.

Each case reads the settings in a fresh interpreter, as a server started with that
environment would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCALE_VARIABLES = (
    "REDIS_URL",
    "JINLIN_CACHE_URL",
    "JINLIN_CACHE_PREFIX",
    "JINLIN_S3_BUCKET",
    "JINLIN_S3_ENDPOINT_URL",
    "JINLIN_S3_REGION",
    "JINLIN_S3_PREFIX",
)


def settings_with(tmp_path: Path, **variables: str) -> dict[str, object]:
    code = (
        "import json; from django.conf import settings as s; "
        "from django.core.files.storage import storages; d = storages['default']; "
        "print(json.dumps({'storage': type(d).__module__ + '.' + type(d).__name__, "
        "'options': s.STORAGES['default'].get('OPTIONS', {}), 'cache': s.CACHES['default'], "
        "'sessions': s.SESSION_ENGINE}))"
    )
    env = {k: v for k, v in os.environ.items() if k not in SCALE_VARIABLES}
    env.update(
        PYTHONPATH=str(ROOT / "src"),
        DJANGO_SETTINGS_MODULE="jinlin.settings",
        JINLIN_VAR=str(tmp_path / "var"),
        **variables,
    )
    done = subprocess.run(  # noqa: S603  (the test's own interpreter)
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout)


def test_with_nothing_set_files_stay_on_local_disk_and_the_cache_in_memory(tmp_path):
    chosen = settings_with(tmp_path)
    assert chosen["storage"] == "django.core.files.storage.filesystem.FileSystemStorage"
    assert chosen["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert chosen["sessions"] == "django.contrib.sessions.backends.db"


def test_a_bucket_and_redis_make_the_deployment_settings(tmp_path):
    chosen = settings_with(
        tmp_path,
        JINLIN_S3_BUCKET="jinlin-photos",
        JINLIN_S3_ENDPOINT_URL="http://127.0.0.1:9000",
        JINLIN_S3_REGION="cn-east-1",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert chosen["storage"] == "storages.backends.s3.S3Storage"
    options = chosen["options"]
    assert options["bucket_name"] == "jinlin-photos"
    assert options["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["region_name"] == "cn-east-1"
    # Photos are personal data: no public ACL, never overwritten by a second upload's name.
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert chosen["cache"] == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:6379/0",
        "KEY_PREFIX": "jinlin-cache",
    }
    # Sessions stay in the database even with Redis: a Redis restart signs nobody out.
    assert chosen["sessions"] == "django.contrib.sessions.backends.db"


def test_the_cache_may_have_a_redis_database_of_its_own(tmp_path):
    chosen = settings_with(
        tmp_path, REDIS_URL="redis://127.0.0.1:6379/0", JINLIN_CACHE_URL="redis://127.0.0.1:6379/1"
    )
    assert chosen["cache"]["LOCATION"] == "redis://127.0.0.1:6379/1"
