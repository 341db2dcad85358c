"""`serviceqa users`, `webhooks` and `serve` as an operator runs them."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from serviceqa.cli import app
from serviceqa.store import default_url
from serviceqa.web import create_app

runner = CliRunner()
API = "/api/v1"


def test_users_add_prints_a_working_token_once(tmp_path: Path) -> None:
    db = default_url(tmp_path / "qa.db")
    made = runner.invoke(app, ["users", "add", "Dana", "--role", "reviewer", "--db", db])
    assert made.exit_code == 0, made.output
    token = made.stdout.strip().splitlines()[-1]
    client = TestClient(create_app(db, secure_cookies=False))
    me = client.get(f"{API}/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json()["user"] == {"id": 1, "name": "Dana", "role": "reviewer", "agent_id": None}
    listed = runner.invoke(app, ["users", "list", "--db", db])
    assert listed.stdout.split() == ["Dana", "reviewer"] and token not in listed.stdout


def test_users_add_with_a_password_allows_login(tmp_path: Path) -> None:
    db = default_url(tmp_path / "qa.db")
    made = runner.invoke(app, ["users", "add", "Айгерім", "--role", "agent", "--agent-id",
                               "a-kk-01", "--password", "--db", db],
                         input="сәлем-әлем-1\nсәлем-әлем-1\n")
    assert made.exit_code == 0, made.output
    client = TestClient(create_app(db, secure_cookies=False))
    login = client.post(f"{API}/auth/login",
                        json={"name": "Айгерім", "password": "сәлем-әлем-1"})
    assert login.status_code == 200 and login.json()["user"]["agent_id"] == "a-kk-01"


def test_users_add_refuses_bad_input_with_exit_2(tmp_path: Path) -> None:
    db = default_url(tmp_path / "qa.db")
    no_agent = runner.invoke(app, ["users", "add", "x", "--role", "agent", "--db", db])
    assert no_agent.exit_code == 2 and "agent_id" in no_agent.output
    runner.invoke(app, ["users", "add", "x", "--role", "lead", "--db", db])
    again = runner.invoke(app, ["users", "add", "x", "--role", "lead", "--db", db])
    assert again.exit_code == 2 and "exists" in again.output


def test_webhooks_add_prints_the_secret(tmp_path: Path) -> None:
    db = default_url(tmp_path / "qa.db")
    made = runner.invoke(app, ["webhooks", "add", "chatwoot", "--db", db])
    assert made.exit_code == 0, made.output
    secret = made.stdout.strip().splitlines()[-1]
    store = create_app(db).state.workspace.store
    assert store.accounts.webhook_secret("chatwoot") == secret
    listed = runner.invoke(app, ["webhooks", "list", "--db", db])
    assert "chatwoot" in listed.stdout and secret not in listed.stdout


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _serving(command: list[str]) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    port = command[command.index("--port") + 1]
    deadline = time.monotonic() + 120  # a guard against hanging, not a measurement
    while True:
        assert server.poll() is None, server.stderr.read().decode()  # type: ignore[union-attr]
        try:
            httpx.get(f"http://127.0.0.1:{port}{API}/health", timeout=2)
            return server
        except httpx.TransportError:
            assert time.monotonic() < deadline, "serve did not start"
            time.sleep(0.2)


def test_serve_answers_health_and_openapi(tmp_path: Path) -> None:
    port = _free_port()
    command = [sys.executable, "-m", "serviceqa.cli", "serve", "--db",
               default_url(tmp_path / "qa.db"), "--port", str(port), "--insecure-cookies"]
    server = _serving(command)
    try:
        base = f"http://127.0.0.1:{port}"
        assert httpx.get(f"{base}{API}/health").json()["status"] == "ok"
        assert f"{API}/conversations" in httpx.get(f"{base}/openapi.json").json()["paths"]
        assert httpx.get(f"{base}{API}/conversations").status_code == 401
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_serve_with_two_worker_processes_ingests_and_lists(tmp_path: Path) -> None:
    url = default_url(tmp_path / "qa.db")
    created = runner.invoke(app, ["users", "add", "ops", "--role", "admin", "--db", url])
    token = created.stdout.strip().splitlines()[-1]
    port = _free_port()
    server = _serving([sys.executable, "-m", "serviceqa.cli", "serve", "--db", url,
                       "--port", str(port), "--workers", "2"])
    try:
        base, headers = f"http://127.0.0.1:{port}{API}", {"Authorization": f"Bearer {token}"}
        records = [{"id": f"w-{i}", "channel": "chat", "language": "cs",
                    "agent": {"id": "cs-7", "name": "Petra", "team": "Praha"},
                    "messages": [{"role": "agent", "text": "Dobrý den, jak vám mohu pomoci?"},
                                 {"role": "customer", "text": "Nefunguje mi přihlášení."}]}
                   for i in range(12)]
        for record in records:  # a connection each, so the kernel spreads them over workers
            sent = httpx.post(f"{base}/conversations", json=record, headers=headers, timeout=60)
            assert sent.status_code in (200, 201), sent.text
        listed = httpx.get(f"{base}/conversations", params={"agent": "cs-7"},
                           headers=headers).json()
        assert listed["total"] == 12
    finally:
        server.terminate()
        server.wait(timeout=30)
