"""Two app servers behind one address behave as one (issue 18, Ready for more than one machine).

Two gunicorn processes on two ports share the test's PostgreSQL database and Redis; uploads go
to a local S3 server (moto's, on 127.0.0.1); each server has a var directory of its own that
must stay empty of uploads. Signed in on A, the same session works on B; a photo uploaded
through A is served by B; an import checked on A is confirmed on B; login failures counted on A
and B lock the account on both.

It needs PostgreSQL (two processes on one SQLite file would prove nothing about a deployment):
CI's second pass sets DATABASE_URL; on the SQLite pass it is skipped. Redis must answer at
REDIS_URL (default redis://127.0.0.1:6379/0): CI starts it, and the test fails without it.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from urllib.parse import quote

import pytest
import requests
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from PIL import Image

from jinlin.fieldwork.models import Finding
from jinlin.fieldwork.patrols import services as patrol_services
from jinlin.people.models import Resident
from tests.core.test_supervisor import free_port, wait_healthy
from tests.people.sheets import xlsx
from tests.people.test_import import good_rows

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
PASSWORD = "correct-horse-battery"  # tests/factories.py
FAILURE_LIMIT = 3
BUCKET = "jinlin-two-servers"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="two app servers share one PostgreSQL database: runs on CI's PostgreSQL pass "
        "(DATABASE_URL=postgres://…), not on SQLite",
    ),
    pytest.mark.django_db(transaction=True),
    pytest.mark.two_servers,
]


@dataclass
class Deployment:
    a: str
    b: str
    s3: object  # a boto3 S3 client on the moto server
    redis: object  # a redis.Redis on the shared server
    cache_prefix: str
    var_dirs: list[Path]


def _database_url() -> str:
    db = connection.settings_dict
    user = quote(db["USER"] or "")
    password = f":{quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{db['NAME']}"


@pytest.fixture
def deployment(tmp_path) -> Iterator[Deployment]:
    import boto3
    import redis
    from moto.server import ThreadedMotoServer

    redis_url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
    shared_redis = redis.Redis.from_url(redis_url)
    try:
        shared_redis.ping()
    except redis.RedisError as error:
        pytest.fail(f"the two-server test needs Redis at {redis_url}: {error}")

    s3_port = free_port()
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    moto.start()
    endpoint = f"http://127.0.0.1:{s3_port}"
    credentials = {"AWS_ACCESS_KEY_ID": "two-servers", "AWS_SECRET_ACCESS_KEY": "two-servers"}
    s3 = boto3.client(
        "s3",
        endpoint_url=endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket=BUCKET)

    cache_prefix = f"two-servers-{uuid.uuid4().hex[:8]}"
    servers: list[subprocess.Popen[bytes]] = []
    urls: list[str] = []
    var_dirs: list[Path] = []
    try:
        for name in ("a", "b"):
            port = free_port()
            var_dir = tmp_path / name
            env = {
                **os.environ,
                **credentials,
                "PYTHONPATH": str(ROOT / "src"),
                "DJANGO_SETTINGS_MODULE": "jinlin.settings",
                "DATABASE_URL": _database_url(),
                "REDIS_URL": redis_url,
                "JINLIN_CACHE_PREFIX": cache_prefix,
                "JINLIN_QUEUE_IMMEDIATE": "1",
                "JINLIN_S3_BUCKET": BUCKET,
                "JINLIN_S3_ENDPOINT_URL": endpoint,
                "JINLIN_S3_REGION": "us-east-1",
                "JINLIN_S3_ADDRESSING_STYLE": "path",
                "JINLIN_VAR": str(var_dir),
                "JINLIN_LOGIN_FAILURE_LIMIT": str(FAILURE_LIMIT),
                "DEBUG": "0",
            }
            argv = [GUNICORN, "jinlin.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            argv += ["--workers", "1", "--threads", "2", "--chdir", str(tmp_path)]
            servers.append(
                subprocess.Popen(  # noqa: S603  (the test's own gunicorn)
                    argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
                )
            )
            urls.append(f"http://127.0.0.1:{port}")
            var_dirs.append(var_dir)
        for url in urls:
            wait_healthy(f"{url}/healthz", within=30)
        yield Deployment(
            a=urls[0],
            b=urls[1],
            s3=s3,
            redis=shared_redis,
            cache_prefix=cache_prefix,
            var_dirs=var_dirs,
        )
    finally:
        for server in servers:
            server.send_signal(signal.SIGTERM)
        for server in servers:
            try:
                server.wait(timeout=15)
            except subprocess.TimeoutExpired:
                server.kill()
        moto.stop()
        for key in shared_redis.scan_iter(f"{cache_prefix}:*"):
            shared_redis.delete(key)


def sign_in(base: str, username: str, password: str) -> tuple[requests.Session, requests.Response]:
    client = requests.Session()
    form = client.get(f"{base}/login/", timeout=10)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text)
    assert token is not None
    answer = client.post(
        f"{base}/login/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token[1]},
        allow_redirects=False,
        timeout=10,
    )
    return client, answer


def jpeg(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(out, format="JPEG")
    return out.getvalue()


@pytest.fixture
def people(worker_in, worker_out, secretary) -> None:
    """The suite hashes passwords with MD5 for speed; the servers accept only their own
    hashers, so these two get a (cheap) PBKDF2 hash the servers can check."""
    for user in (worker_in, worker_out, secretary):
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, "two-servers", iterations=1000)
        user.save(update_fields=["password"])


@pytest.fixture
def finding(world, worker_in) -> Finding:
    patrol = patrol_services.patrol_record(
        actor=worker_in, compound_id=world.compound_a.pk, patrolled_on=date.today()
    )
    return patrol_services.finding_record(
        patrol=patrol,
        actor=worker_in,
        data=patrol_services.FindingInput(
            category="stairwell_clutter", place="3楼", severity="low"
        ),
    )


def test_two_servers_share_sessions_uploads_cache_and_lockouts(
    deployment, finding, people, world, worker_in, worker_out, secretary
):
    started = time.monotonic()
    on_a, answer = sign_in(deployment.a, worker_in.username, PASSWORD)
    assert answer.status_code == 302, answer.text[:500]

    # The session made on A works on B: the same cookie, another server.
    on_b = requests.Session()
    on_b.cookies.set("sessionid", on_a.cookies["sessionid"])
    on_b.cookies.set("csrftoken", on_a.cookies["csrftoken"])
    page = on_b.get(f"{deployment.b}/patrols/{finding.patrol_id}/", allow_redirects=False)
    assert page.status_code == 200, page.status_code
    assert "3楼" in page.text

    # A photo uploaded through A is stored in the bucket, not on A's disk, and B serves it.
    uploaded = on_a.post(
        f"{deployment.a}/api/v1/findings/{finding.pk}/photos",
        files={"photo": ("走廊.jpg", jpeg(120, 90), "image/jpeg")},
        headers={"X-CSRFToken": on_a.cookies["csrftoken"], "Referer": f"{deployment.a}/"},
        timeout=10,
    )
    assert uploaded.status_code == 201, uploaded.text
    photo = uploaded.json()
    served = on_b.get(f"{deployment.b}{photo['url']}", timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/jpeg"
    assert Image.open(io.BytesIO(served.content)).size == (120, 90)
    stored = [item["Key"] for item in deployment.s3.list_objects_v2(Bucket=BUCKET)["Contents"]]
    assert len(stored) == 1 and stored[0].startswith("fieldwork/findings/")
    for var_dir in deployment.var_dirs:
        assert not any(p.is_file() for p in (var_dir / "media").rglob("*")), var_dir
    # Still access-checked on B: without a session, no photo.
    anonymous = requests.get(f"{deployment.b}{photo['url']}", allow_redirects=False, timeout=10)
    assert anonymous.status_code in (302, 404)

    # Both servers use the one cache in Redis (the demo-banner flag a page set).
    assert deployment.redis.exists(f"{deployment.cache_prefix}:1:jinlin:is_demo")

    # An import checked on A is confirmed on B: the staged sheet is in the bucket.
    secretary_on_a, answer = sign_in(deployment.a, secretary.username, PASSWORD)
    assert answer.status_code == 302
    import_url = f"/areas/{world.area.pk}/import/"
    checked = secretary_on_a.post(
        f"{deployment.a}{import_url}",
        data={"kind": "residents", "csrfmiddlewaretoken": secretary_on_a.cookies["csrftoken"]},
        files={"file": ("居民.xlsx", xlsx(good_rows()), XLSX_TYPE)},
        timeout=30,
    )
    assert checked.status_code == 200, checked.text[-500:]
    token = re.search(r'name="token" value="([0-9a-f]+)"', checked.text)
    assert token is not None, checked.text[-2000:]
    assert deployment.s3.list_objects_v2(Bucket=BUCKET, Prefix="imports/")["KeyCount"] == 1
    secretary_on_b = requests.Session()
    for cookie in ("sessionid", "csrftoken"):
        secretary_on_b.cookies.set(cookie, secretary_on_a.cookies[cookie])
    confirmed = secretary_on_b.post(
        f"{deployment.b}{import_url}",
        data={
            "kind": "residents",
            "token": token[1],
            "csrfmiddlewaretoken": secretary_on_a.cookies["csrftoken"],
        },
        timeout=30,
    )
    assert confirmed.status_code == 200 and "已导入" in confirmed.text
    assert Resident.objects.filter(name="陈国华", area=world.area).exists()
    assert deployment.s3.list_objects_v2(Bucket=BUCKET, Prefix="imports/")["KeyCount"] == 0

    # Login failures counted on A and on B add up (limit 3): the account is locked on both.
    for base in (deployment.a, deployment.b):
        _, refused = sign_in(base, worker_out.username, "wrong-password-1")
        assert refused.status_code == 200 and "用户名或密码不正确" in refused.text
    _, third = sign_in(deployment.a, worker_out.username, "wrong-password-1")
    assert third.status_code == 429
    for base in (deployment.a, deployment.b):
        _, locked = sign_in(base, worker_out.username, PASSWORD)
        assert locked.status_code == 429
        assert "登录失败次数过多" in locked.text
    assert time.monotonic() - started < 20
