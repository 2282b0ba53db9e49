"""The TLS context for the Bot API's HTTPS, loaded in a thread while `bot run` imports.

Loading the CA bundle takes ~50 ms, and OpenSSL lets the interpreter go meanwhile: started
before the bot's modules are imported (bot/__main__.py), it costs the first answer nothing on
a machine with two cores. Whoever builds the HTTP clients takes it with `context()`.
"""

from __future__ import annotations

import os
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import ssl

_loaded: list[ssl.SSLContext] = []
_thread: threading.Thread | None = None


def create() -> ssl.SSLContext:
    """The context httpx makes by default: SSL_CERT_FILE, else SSL_CERT_DIR, else certifi's
    CA bundle (httpx.create_ssl_context's own default, not called: importing httpx in the
    loading thread would race the main thread's imports of it)."""
    import ssl

    import certifi

    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    return ssl.create_default_context(cafile=certifi.where())


def _load() -> None:
    """The thread's work; a failure is left for `context()` to raise in the caller's thread."""
    try:
        _loaded.append(create())
    except Exception:  # context() makes it again, and raises it where it is needed
        pass


def load_in_background() -> None:
    """Start loading the context in a thread (once per process)."""
    global _thread
    if _thread is None:
        _thread = threading.Thread(target=_load, name="tls-context", daemon=True)
        _thread.start()


def context() -> ssl.SSLContext:
    """The context loaded in the background (waiting for it if need be), or one made now."""
    if _thread is not None:
        _thread.join()
        if _loaded:
            return _loaded[0]
    return create()
