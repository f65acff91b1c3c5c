"""The cluster's nginx configuration (bench/cluster.py from deploy/nginx/fuyang-portal.conf) is complete and valid."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

from bench import cluster


@pytest.fixture
def conf(tmp_path):
    path = cluster.write_nginx_conf(web_ports=[8101, 8102], port=8100, static_root=tmp_path / "static", max_body="25m", var=tmp_path)
    return path.read_text()


def test_every_node_is_an_upstream_left_out_after_failures(conf):
    assert "server 127.0.0.1:8101 max_fails=2 fail_timeout=10s;" in conf
    assert "server 127.0.0.1:8102 max_fails=2 fail_timeout=10s;" in conf


def test_only_requests_not_yet_received_or_idempotent_ones_move_to_the_other_node(conf):
    assert "proxy_next_upstream error timeout http_502 http_503 http_504;" in conf
    assert "non_idempotent" not in conf.split("proxy_next_upstream ", 1)[1].split(";", 1)[0]


def test_the_portal_is_told_the_scheme_and_the_request_id(conf):
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in conf
    assert "proxy_set_header X-Request-ID $request_id;" in conf
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in conf


def test_static_files_come_from_collectstatic_and_uploads_have_no_address(tmp_path, conf):
    assert f"alias {tmp_path / 'static'}/;" in conf
    assert str(settings.PRIVATE_MEDIA_ROOT) not in conf


def test_body_limit_is_the_portals_own():
    limit = cluster.upload_limit()
    assert limit == f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}m"
    assert int(limit[:-1]) * 1024 * 1024 >= settings.UPLOAD_MAX_BYTES


def test_every_template_field_is_filled(conf):
    directives = [line for line in conf.splitlines() if not line.lstrip().startswith("#")]
    assert not [line for line in directives if "{{" in line]


@pytest.mark.skipif(cluster.nginx() is None, reason="nginx is installed on demand by `make cluster`")
def test_nginx_accepts_the_generated_configuration(tmp_path):
    path = cluster.write_nginx_conf(web_ports=[8101, 8102], port=8100, static_root=tmp_path, max_body="25m", var=tmp_path)
    checked = subprocess.run(check=False, args=[cluster.nginx(), "-t", "-c", str(path), "-p", str(tmp_path)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr


def test_the_cluster_refuses_to_start_without_postgresql_and_redis():
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    started = subprocess.run(check=False, args=[sys.executable, str(cluster.ROOT / "bench" / "cluster.py"), "start"], env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "DATABASE_URL=postgres://" in started.stderr and "REDIS_URL=redis://" in started.stderr
