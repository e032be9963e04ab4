"""Two app processes behind nginx on one PostgreSQL database: sign in through nginx, save through
one process, read it through the other, sign out on one and be signed out on both."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from gcm.config import ROOT
from gcm.i18n import t
from tests.conftest import PG_ENV, skip_or_fail
from tests.e2e.conftest import PASSWORD, _free_port, choose, settle

pytestmark = pytest.mark.e2e
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
CONFIG = """
worker_processes 1;
events {{ worker_connections 256; }}
http {{
    access_log off;
    client_body_temp_path {temp}/client_body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    upstream gcm_app {{
        hash $cookie_gcm_session consistent;
        server 127.0.0.1:{a};
        server 127.0.0.1:{b};
    }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://gcm_app;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 3600s;
            proxy_buffering off;
        }}
    }}
}}
"""


def _wait(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + 90
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                pytest.fail(f"{url} did not answer:\n{log.read_text()[-4000:]}")
            time.sleep(0.3)


@pytest.fixture
def database() -> Iterator[str]:
    """A fresh PostgreSQL database, dropped afterwards."""
    base = os.environ.get(PG_ENV)
    if not base:
        skip_or_fail(f"{PG_ENV} is not set")
    name = f"gcm_mp_{uuid.uuid4().hex[:10]}"
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(base).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def cluster(database: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """Two `streamlit run app.py` processes and nginx in front of them; their URLs."""
    if not Path(NGINX).exists():
        skip_or_fail(f"nginx not found at {NGINX}")
    env = {**os.environ, "GCM_DATABASE_URL": database, "PYTHONPATH": str(ROOT)}
    gcm = [sys.executable, "-m", "gcm"]
    subprocess.run([*gcm, "init"], env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    add = [*gcm, "user", "add", "cri", "--role", "delegate", "--country", "CRI"]
    subprocess.run(add, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120, input=PASSWORD, text=True)
    processes: list[subprocess.Popen] = []
    urls: dict[str, str] = {}
    ports = {name: _free_port() for name in ("a", "b", "port")}
    try:
        for name in ("a", "b"):
            log = tmp_path / f"app-{name}.log"
            command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
            command += ["--server.port", str(ports[name]), "--server.address", "127.0.0.1"]
            command += ["--server.fileWatcherType", "none", "--browser.gatherUsageStats", "false"]
            with log.open("w") as output:
                processes.append(subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT))
            urls[name] = f"http://127.0.0.1:{ports[name]}"
            _wait(f"{urls[name]}/_stcore/health", processes[-1], log)
        for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi", "logs"):
            (tmp_path / folder).mkdir()
        (tmp_path / "nginx.conf").write_text(CONFIG.format(temp=tmp_path, **ports))
        log = tmp_path / "nginx.log"
        directives = f"daemon off; pid {tmp_path}/nginx.pid; error_log stderr;"
        with log.open("w") as output:
            processes.append(
                subprocess.Popen(
                    [NGINX, "-p", str(tmp_path), "-c", "nginx.conf", "-g", directives],
                    stdout=output,
                    stderr=subprocess.STDOUT,
                )
            )
        urls["nginx"] = f"http://127.0.0.1:{ports['port']}"
        _wait(f"{urls['nginx']}/_stcore/health", processes[-1], log)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


def test_two_processes_behind_nginx_share_saves_and_sign_outs(browser, cluster: dict[str, str]) -> None:
    context = browser.new_context(locale="es-ES", viewport={"width": 1400, "height": 1100})
    page = context.new_page()
    page.set_default_timeout(60000)
    # Sign in through nginx: the form, its double-submit token and the cookie all pass the proxy.
    page.goto(f"{cluster['nginx']}/auth/login?lang=es&next=/country_report")
    page.fill("#username", "cri")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_load_state()
    settle(page)
    page.get_by_text("Sesión iniciada como").wait_for()  # the page and its WebSocket came through nginx

    # The cookie belongs to the host, not the port: the same browser reaches each process directly. Process B
    # first reads the report as it is, so that its cache holds it (keyed on the country's counters) before A saves.
    page.goto(f"{cluster['b']}/country_report?lang=es")
    settle(page)
    expect(page.get_by_role("textbox", name="Avances", exact=True)).not_to_have_value("Guardado en el proceso A")
    page.goto(f"{cluster['a']}/country_report?lang=es")
    settle(page)
    choose(page, "Estado de implementación", "Implementación avanzada")
    page.get_by_role("textbox", name="Avances", exact=True).fill("Guardado en el proceso A")
    page.get_by_role("button", name="Guardar").click()
    settle(page)
    page.get_by_text(re.compile(r"Objetivo \d+ guardado")).wait_for()

    page.goto(f"{cluster['b']}/country_report?lang=es")
    settle(page)
    page.get_by_text("Sesión iniciada como").wait_for()
    # The sidebar can be drawn before the form under load: wait for the form to show the value (it failed
    # here 2 runs in 3 on a loaded machine, on this session's code and on the previous session's alike).
    expect(page.get_by_role("textbox", name="Avances", exact=True)).to_have_value("Guardado en el proceso A")

    # Sign out on process A: process B (and nginx) no longer know the session.
    page.goto(f"{cluster['a']}/auth/logout?lang=en")
    page.get_by_role("button", name=t("en", "nav.sign_out")).click()
    page.get_by_text(t("en", "signin.signed_out")).wait_for()
    for url in (cluster["b"], cluster["nginx"]):
        page.goto(f"{url}/?lang=en")
        settle(page)
        page.get_by_test_id("stHtml").get_by_role("link", name=t("en", "nav.sign_in")).wait_for()
        assert page.get_by_text("Signed in as").count() == 0
    context.close()
