"""The Bot API's TLS context: loaded in a thread while `bot run` imports, and still verifying."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from bot.core import tls

pytestmark = pytest.mark.sqlite_pass_only


@pytest.fixture
def fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    """This test's own loading state (the process may have loaded one already)."""
    monkeypatch.setattr(tls, "_thread", None)
    monkeypatch.setattr(tls, "_loaded", [])
    monkeypatch.delenv("SSL_CERT_FILE", raising=False)
    monkeypatch.delenv("SSL_CERT_DIR", raising=False)


def test_the_context_loaded_in_the_background_verifies_telegram(fresh: None) -> None:
    """The context loaded in a thread checks certificates and host names against a CA bundle,
    and every client gets that same one."""
    tls.load_in_background()
    context = tls.context()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    assert context.cert_store_stats()["x509_ca"] > 10
    assert tls.context() is context


def test_ssl_cert_file_is_honoured_and_a_bad_one_fails_where_the_clients_are_built(
    fresh: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """SSL_CERT_FILE replaces the bundle, as httpx does; a missing file is not swallowed by
    the thread, it is raised when the bot builds its HTTP clients."""
    monkeypatch.setenv("SSL_CERT_FILE", str(tmp_path / "missing.pem"))
    tls.load_in_background()
    with pytest.raises(FileNotFoundError):
        tls.context()
