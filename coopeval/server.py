"""How ``coopeval serve`` runs Voilà: address, public links, kernel culling, template.

The server is Voilà with one more page (:mod:`coopeval.web.app`): the light participant page,
served without a kernel, which the personal links open.

* :func:`public_url` — the address put in the participants' links: the
  ``COOPEVAL_PUBLIC_URL`` environment variable when set, else derived from what is
  actually served (host and port; on all interfaces, this machine's address on the
  local network);
* :func:`voila_command` and :func:`voila_env` — the Voilà command line (host, port,
  idle kernels culled, the ``coopeval`` template: French loading text, page language)
  and its environment (project, public address, template path);
* :func:`is_local` — whether a host is reachable from this machine only (beyond it,
  ``coopeval serve`` warns).

Memory: Voilà starts one Python kernel per page opened. A kernel whose page was
closed (no browser connected) and idle for ``cull_idle`` seconds is shut down
(``MappingKernelManager.cull_idle_timeout``, checked every ``cull_interval``
seconds); a page still open keeps its kernel (``cull_connected=False``).

>>> public_url("127.0.0.1", 8900, env={})
'http://127.0.0.1:8900'
>>> public_url("0.0.0.0", 8900, env={"COOPEVAL_PUBLIC_URL": "https://atelier.example.org/"})
'https://atelier.example.org'
>>> is_local("127.0.0.1"), is_local("0.0.0.0")
(True, False)
"""

from __future__ import annotations

import ipaddress
import os
import socket
import sys
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlparse

from coopeval.errors import CoopevalError, bad_param

__all__ = ["CULL_IDLE_SECONDS", "CULL_INTERVAL_SECONDS", "TEMPLATE", "TEMPLATE_ROOT", "is_local", "lan_address",
           "public_url", "voila_command", "voila_env"]

#: A kernel whose page is closed and idle this long (seconds) is shut down.
CULL_IDLE_SECONDS = 300
#: How often (seconds) idle kernels are looked for.
CULL_INTERVAL_SECONDS = 60
#: Name of the Voilà template shipped with coopeval (lab template, French loading text, page language).
TEMPLATE = "coopeval"
#: Directory to put on ``JUPYTER_PATH`` so that Voilà finds :data:`TEMPLATE`.
TEMPLATE_ROOT = Path(__file__).parent / "_voila"
_ALL = {"0.0.0.0", "::", ""}  # noqa: S104 (names, not a bind)


def is_local(host: str) -> bool:
    """True when ``host`` is a loopback address or ``localhost`` (reachable from this machine only)."""
    host = str(host).strip().strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def lan_address() -> str | None:
    """This machine's address on the local network (the interface of its default route), or None.

    A UDP socket is *connected* to a documentation address (RFC 5737), which selects the
    outgoing interface without sending any packet.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))
            addr = s.getsockname()[0]
    except OSError:
        return None
    return None if addr.startswith(("0.", "127.")) else addr


def public_url(host: str, port: int, *, env: Mapping[str, str] | None = None) -> str:
    """The address the participants' links start with (no trailing slash).

    Parameters
    ----------
    host : str
        The address Voilà listens on (``127.0.0.1``, ``0.0.0.0`` for every interface, or one address).
    port : int
    env : mapping, optional
        Environment (default ``os.environ``); ``COOPEVAL_PUBLIC_URL`` wins when set (behind a
        proxy or a DNS name).

    Raises
    ------
    CoopevalError
        ``COOPEVAL_PUBLIC_URL`` is not an ``http://`` or ``https://`` address.
    """
    env = os.environ if env is None else env
    given = str(env.get("COOPEVAL_PUBLIC_URL") or "").strip()
    if given:
        parts = urlparse(given)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            bad_param("COOPEVAL_PUBLIC_URL", "an http:// or https:// address", given, CoopevalError)
        return given.rstrip("/")
    host = str(host).strip()
    if host in _ALL:
        host = lan_address() or socket.gethostname()
    elif host == "localhost":
        host = "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    return f"http://{host}:{int(port)}"


def voila_command(folder: str | Path, *, host: str = "127.0.0.1", port: int = 8866, open_browser: bool = False,
                  cull_idle: int = CULL_IDLE_SECONDS, cull_interval: int = CULL_INTERVAL_SECONDS,
                  python: str | None = None) -> list[str]:
    """The Voilà command line serving the dashboards of ``folder``.

    >>> cmd = voila_command("dashboards", host="0.0.0.0", port=8900)
    >>> "--Voila.ip=0.0.0.0" in cmd, "--MappingKernelManager.cull_idle_timeout=300" in cmd
    (True, True)
    """
    if int(cull_idle) < 1 or int(cull_interval) < 1:
        bad_param("cull_idle", "a positive number of seconds", (cull_idle, cull_interval), CoopevalError)
    cmd = [python or sys.executable, "-m", "coopeval.web.app", str(folder), f"--port={int(port)}", f"--Voila.ip={host}",
           f"--template={TEMPLATE}",
           f"--MappingKernelManager.cull_idle_timeout={int(cull_idle)}",
           f"--MappingKernelManager.cull_interval={int(cull_interval)}",
           "--MappingKernelManager.cull_connected=False"]
    if not open_browser:
        cmd.append("--no-browser")
    return cmd


def voila_env(base: Mapping[str, str] | None = None, *, project: str | None = None,
              public: str | None = None) -> dict[str, str]:
    """Environment of the Voilà server: ``COOPEVAL_PROJECT``, ``COOPEVAL_PUBLIC_URL`` and the
    coopeval template on ``JUPYTER_PATH`` (kept first)."""
    env = dict(os.environ if base is None else base)
    if project:
        env["COOPEVAL_PROJECT"] = str(project)
    if public:
        env["COOPEVAL_PUBLIC_URL"] = str(public)
    paths = [str(TEMPLATE_ROOT), *[p for p in env.get("JUPYTER_PATH", "").split(os.pathsep) if p]]
    env["JUPYTER_PATH"] = os.pathsep.join(dict.fromkeys(paths))
    return env
