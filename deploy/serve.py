"""Serve the dashboard from several Streamlit processes behind nginx: one command.

Usage (from the repository root)::

    python -m deploy.serve                      # three processes per core, port 8080
    python -m deploy.serve --processes 4 --port 8080 --address 0.0.0.0

It starts N dashboard processes exactly as ``make run`` does (``python -m
streamlit run dashboard/app.py`` from the repository root, so
``.streamlit/config.toml`` applies) on free 127.0.0.1 ports, waits until each
answers ``/_stcore/health``, writes an nginx config from
``deploy/nginx.conf.template`` into a run folder (``.data/serve`` by default),
and runs nginx in the foreground in front of them with cookie-sticky sessions.
A dashboard process that dies is started again on its port (nginx routes its
sessions to the others meanwhile). Every log in the run folder is capped
(``LOG_MAX_BYTES``, ``LOG_BACKUPS``). nginx refuses uploads and metrics, sends
security headers and a Content-Security-Policy, logs paths without query
strings, and limits each client address (:class:`Limits`; deploy/README.md,
"Security"). Ctrl-C or SIGTERM stops nginx and every process. Set
``DATABASE_URL`` to share class-check polls with other machines; on one
machine the processes share ``.data/polls.db``.

Tests and benchmarks use :func:`running_cluster` (or :class:`Cluster`).
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import grp
import hashlib
import html.parser
import logging
import logging.handlers
import os
import pwd
import re
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from dashboard.core.paths import REPO_ROOT
from dashboard.serving.ports import free_port
from dashboard.serving.streamlit_server import (
    is_healthy,
    server_environment,
    streamlit_command,
)

TEMPLATE = Path(__file__).resolve().with_name("nginx.conf.template")
DEFAULT_RUN_DIR = REPO_ROOT / ".data" / "serve"
#: The sticky-session cookie: nginx sets it to the name of the backend that answered.
COOKIE = "dashboard_route"
#: The upstream group of new browsers; each backend's own group adds ``_b<i>``.
UPSTREAM = "dashboard"
#: Passive health of each backend: skipped for ``FAIL_TIMEOUT`` after ``MAX_FAILS``.
MAX_FAILS = 2
FAIL_TIMEOUT = "5s"
#: A process that dies sooner than this after starting is restarted with a
#: growing delay (0.5 s, 1 s, 2 s ... up to 30 s), not in a tight loop.
QUICK_DEATH_S = 10.0

#: Size cap of every log in the run folder: the access log, nginx's error log
#: (when it goes to a file) and each dashboard process's output. A log is
#: rotated at ``LOG_MAX_BYTES`` (``dashboard-0.log`` becomes ``.1``, ``.1``
#: becomes ``.2``...) and ``LOG_BACKUPS`` old files are kept: at most 40 MiB
#: per log, 320 MiB for ``make serve`` with six processes on two cores.
LOG_MAX_BYTES = 10 * 2**20
LOG_BACKUPS = 3
#: Longest line copied from a dashboard process's output in one piece (bytes).
LOG_LINE_BYTES = 64 * 2**10


@dataclass(frozen=True)
class Limits:
    """Limits per client address in nginx, sized for a lecture hall behind ONE address.

    A hall's devices often share one NAT address, so these only cut what a
    script does. Measured needs (deploy/README.md, "Security"): a browser's
    first visit makes about 110 requests for hashed ``/static/`` assets (not
    limited) and about 8 others (the page, favicon, health and host-config
    probes); moving between pages uses the websocket. One tab holds one
    websocket, and each new websocket is a new Streamlit session.

    ``connections``: open connections at once (websockets plus requests in
    progress). ``sessions_per_s`` and ``sessions_burst``: new websockets, at
    a sustained rate after a burst that lets a whole hall (re)connect at once,
    e.g. after a restart. ``requests_per_s`` and ``requests_burst``: other
    requests, the same way. Beyond a limit nginx answers 429.
    """

    connections: int = 800
    sessions_per_s: int = 10
    sessions_burst: int = 600
    requests_per_s: int = 50
    requests_burst: int = 3000


LIMITS = Limits()

LOG = logging.getLogger("deploy.serve")


class _InlineScripts(html.parser.HTMLParser):
    """Collects the text of every ``<script>`` without ``src`` in an HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.scripts: list[str] = []
        self._inside: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "script" and not dict(attrs).get("src"):
            self._inside = []

    def handle_data(self, data: str) -> None:
        if self._inside is not None:
            self._inside.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._inside is not None:
            self.scripts.append("".join(self._inside))
            self._inside = None


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP sources (``'sha256-…'``) allowing exactly the inline scripts of a page."""
    parser = _InlineScripts()
    parser.feed(index_html)
    digests = [hashlib.sha256(script.encode()).digest() for script in parser.scripts]
    return [f"'sha256-{base64.b64encode(d).decode()}'" for d in digests]


def streamlit_index_html() -> str:
    """The ``index.html`` the installed Streamlit serves for every page."""
    import streamlit

    return (Path(streamlit.__file__).parent / "static" / "index.html").read_text(
        encoding="utf-8"
    )


def content_security_policy(index_html: str | None = None) -> str:
    """The Content-Security-Policy Streamlit's front end and Plotly work under.

    Scripts only from this server, plus the inline script(s) of Streamlit's
    ``index.html`` by hash (it sets ``window.prerenderReady``), and
    WebAssembly compilation (``'wasm-unsafe-eval'``, which allows no
    JavaScript ``eval``): long.js in Streamlit's protobuf bundle compiles a
    tiny module at start and reports a violation without it. Streamlit's
    styling (emotion) and the presenter CSS insert ``<style>`` elements, so
    inline styles are allowed; images, fonts and media from this server and
    ``data:``/``blob:`` URLs (chart downloads); the websocket and fetches to
    this server only. ``https://fonts.gstatic.com`` serves the Material icon
    that Streamlit loads for the page icon (``:material/nephrology:``). No
    plugins, no other sites' forms or ``<base>``, and no framing by any site.
    """
    scripts = " ".join(
        [
            "'self'",
            *inline_script_hashes(index_html or streamlit_index_html()),
            "'wasm-unsafe-eval'",
        ]
    )
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob: https://fonts.gstatic.com",
            "font-src 'self' data:",
            "connect-src 'self'",
            "media-src 'self' data: blob:",
            "worker-src 'self' blob:",
            "frame-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


class ClusterError(RuntimeError):
    """nginx or a dashboard process could not start, or nginx stopped."""


def nginx_path() -> str | None:
    """Debian's nginx (``/usr/sbin`` is not on every user's PATH), if installed."""
    found = shutil.which("nginx")
    if found:
        return found
    return "/usr/sbin/nginx" if os.access("/usr/sbin/nginx", os.X_OK) else None


def worker_user() -> str | None:
    """The ``user`` for nginx workers when started as root, else ``None``.

    Without root nginx cannot switch users and the directive is left out.
    """
    if os.geteuid() != 0:
        return None
    for name in ("www-data", "nginx", "nobody"):
        with contextlib.suppress(KeyError):
            entry = pwd.getpwnam(name)
            return f"{name} {grp.getgrgid(entry.pw_gid).gr_name}"
    return "root root"


def render_config(
    *,
    upstreams: Sequence[str],
    listen: str,
    run_dir: str | Path,
    access_log: str,
    error_log: str,
    user: str | None,
    template: Path = TEMPLATE,
    limits: Limits = LIMITS,
) -> str:
    """The nginx config for ``upstreams`` (``host:port`` each), from the template.

    The backends are named ``b0``, ``b1``, ... in the order given: that name is
    the cookie's value. nginx tells which one answered by the port of
    ``$upstream_addr``, so every upstream needs its own port. ``limits`` are
    per client address (:class:`Limits`).

    Raises
    ------
    ValueError
        If there is no upstream, two share a port, or the template names a value
        not given here.
    """
    if not upstreams:
        raise ValueError("nginx needs at least one upstream server")
    ports = [address.rsplit(":", 1)[-1] for address in upstreams]
    if len(set(ports)) != len(ports) or not all(p.isdigit() for p in ports):
        raise ValueError(f"every upstream needs its own port: {list(upstreams)}")
    names = [backend_name(index) for index in range(len(upstreams))]
    health = f"max_fails={MAX_FAILS} fail_timeout={FAIL_TIMEOUT}"

    def group(name: str, primary: str | None) -> str:
        lines = [f"    upstream {name} {{"]
        for address in upstreams:
            backup = " backup" if primary not in (None, address) else ""
            lines.append(f"        server {address} {health}{backup};")
        lines += ["        keepalive 16;", "    }"]
        return "\n".join(lines)

    pool = (
        "    # New browsers (no cookie or an unknown one), spread round-robin.\n"
        + group(UPSTREAM, None)
    )
    own = [
        f"    # {name}'s browsers; the others stand in while it is down.\n"
        + group(f"{UPSTREAM}_{name}", address)
        for name, address in zip(names, upstreams, strict=True)
    ]
    routes = "\n".join(f"        {name} {UPSTREAM}_{name};" for name in names)
    served_by = "\n".join(
        f"        ~:{port}$ {name};" for name, port in zip(names, ports, strict=True)
    )
    values = {
        "USER": f"user {user};" if user else "# (not root: no `user` directive)",
        "RUN_DIR": str(run_dir),
        "ERROR_LOG": error_log,
        "ACCESS_LOG": access_log,
        "COOKIE": COOKIE,
        "ROUTES": routes,
        "SERVED_BY": served_by,
        "UPSTREAMS": "\n\n".join([pool, *own]),
        "LISTEN": listen,
        "CONTENT_SECURITY_POLICY": content_security_policy(),
        "CONNECTIONS": str(limits.connections),
        "SESSIONS_PER_S": str(limits.sessions_per_s),
        "SESSIONS_BURST": str(limits.sessions_burst),
        "REQUESTS_PER_S": str(limits.requests_per_s),
        "REQUESTS_BURST": str(limits.requests_burst),
    }

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in values:
            raise ValueError(f"{template.name}: no value for {{{{{name}}}}}")
        return values[name]

    return re.sub(r"\{\{([A-Z_]+)\}\}", fill, template.read_text(encoding="utf-8"))


#: The dashboard services of deploy/compose.yaml. Each listens on its own port
#: (STREAMLIT_SERVER_PORT there): nginx tells backends apart by port.
COMPOSE_UPSTREAMS = ("dashboard-1:8501", "dashboard-2:8502", "dashboard-3:8503")
COMPOSE_CONFIG = Path(__file__).resolve().with_name("nginx.compose.conf")


def compose_config() -> str:
    """The nginx config that deploy/compose.yaml mounts (official nginx image).

    Regenerate the file with ``python -m deploy.serve --compose-config >
    deploy/nginx.compose.conf``; a test checks it matches.
    """
    header = (
        "# Generated by `python -m deploy.serve --compose-config` from\n"
        "# deploy/nginx.conf.template: edit the template, not this file.\n"
    )
    return header + render_config(
        upstreams=COMPOSE_UPSTREAMS,
        listen="8080",
        run_dir="/tmp",
        access_log="/dev/stdout",
        error_log="stderr",
        user="nginx nginx",
    )


def backend_name(index: int) -> str:
    """The cookie value that routes to the ``index``-th backend (``b0``, ``b1``...)."""
    return f"b{index}"


def listen_address(address: str, port: int) -> str:
    """``address:port`` as nginx's ``listen`` wants it (IPv6 in brackets)."""
    return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"


def _probe_host(address: str) -> str:
    """Where to reach a server listening on ``address`` from this machine."""
    if address in ("0.0.0.0", ""):
        return "127.0.0.1"
    if address == "::":
        return "[::1]"
    return f"[{address}]" if ":" in address else address


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def rotating_log(
    path: Path, max_bytes: int = LOG_MAX_BYTES, backups: int = LOG_BACKUPS
) -> logging.Handler:
    """A handler that appends lines to ``path``, rotated at ``max_bytes``."""
    handler = logging.handlers.RotatingFileHandler(
        path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(message)s"))
    return handler


def copy_lines(stream: IO[bytes], handler: logging.Handler) -> None:
    """Copy a process's output into ``handler``, line by line, until it ends.

    A line longer than ``LOG_LINE_BYTES`` is copied in pieces; undecodable
    bytes are replaced. The text is written as it is (no ``%`` formatting).
    """
    with stream:
        for raw in iter(lambda: stream.readline(LOG_LINE_BYTES), b""):
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            handler.handle(
                logging.makeLogRecord(
                    {"msg": line, "levelno": logging.INFO, "levelname": "INFO"}
                )
            )


def rotate_file(
    path: Path, backups: int = LOG_BACKUPS, *, in_place: bool = False
) -> None:
    """Shift ``path`` to ``path.1``, ``path.1`` to ``path.2``...; keep ``backups``.

    ``in_place`` copies ``path`` to ``path.1`` and empties it instead of
    renaming it (logrotate's ``copytruncate``): a writer that opened it for
    appending (nginx) keeps writing to it, from the start, with no signal and
    no need to reopen it. Lines written between the copy and the truncation
    (microseconds) are lost.
    """
    if backups < 1:
        if in_place:
            with contextlib.suppress(FileNotFoundError):
                os.truncate(path, 0)
        else:
            path.unlink(missing_ok=True)
        return
    for index in range(backups - 1, 0, -1):
        older = path.with_name(f"{path.name}.{index}")
        if older.exists():
            older.replace(path.with_name(f"{path.name}.{index + 1}"))
    if not path.exists():
        return
    newest = path.with_name(f"{path.name}.1")
    if in_place:
        shutil.copyfile(path, newest)
        os.truncate(path, 0)
    else:
        path.replace(newest)


def _tail(path: Path, lines: int = 40) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@dataclass
class Backend:
    """One dashboard process on a fixed loopback port; restarted when it dies.

    Its output (stdout and stderr) goes through a pipe into ``log_path``,
    rotated at ``log_max_bytes`` with ``log_backups`` old files kept.
    """

    index: int
    port: int
    log_path: Path
    log_max_bytes: int = LOG_MAX_BYTES
    log_backups: int = LOG_BACKUPS
    process: subprocess.Popen[bytes] | None = None
    started_at: float = 0.0
    restarts: int = 0
    quick_deaths: int = 0
    next_start: float = 0.0
    _log: logging.Handler | None = field(default=None, repr=False)
    _copier: threading.Thread | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """Its name in nginx's config and the sticky cookie (``b0``, ``b1``...)."""
        return backend_name(self.index)

    @property
    def url(self) -> str:
        """The process's own base URL (bypassing nginx)."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def address(self) -> str:
        """``127.0.0.1:port``, as nginx names it in ``$upstream_addr``."""
        return f"127.0.0.1:{self.port}"

    def start(self, env: Mapping[str, str]) -> None:
        """Start the process (its output is appended to ``log_path``)."""
        if self._log is None:
            self._log = rotating_log(
                self.log_path, self.log_max_bytes, self.log_backups
            )
        self.process = subprocess.Popen(
            streamlit_command(self.port),
            cwd=REPO_ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            # With the dashboard's Streamlit patches, whatever this process
            # opted out of (server_environment), unless ``env`` says otherwise.
            env=server_environment(env),
            # Its own process group: a Ctrl-C in the terminal reaches only the
            # supervisor, which stops everything in order.
            start_new_session=True,
        )
        assert self.process.stdout is not None
        self._copier = threading.Thread(
            target=copy_lines,
            args=(self.process.stdout, self._log),
            name=f"{self.name}-log",
            daemon=True,
        )
        self._copier.start()
        self.started_at = time.monotonic()

    def flush_log(self, timeout: float = 5.0) -> None:
        """Wait until a process that has exited has all its output in the log."""
        if self._copier is not None:
            self._copier.join(timeout)

    def stop(self, timeout: float = 10.0) -> None:
        """Terminate the process (kill it after ``timeout`` s) and close its log."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.flush_log()
        self._copier = None
        if self._log is not None:
            self._log.close()
            self._log = None


class Cluster:
    """N dashboard processes behind one nginx; a context manager.

    Parameters
    ----------
    processes
        How many dashboard processes to run.
    port
        nginx's port (a free one when ``None``).
    address
        The address nginx listens on (``0.0.0.0`` for every interface).
    run_dir
        Where the nginx config, pid, temp files and logs go (a temporary folder,
        deleted afterwards, when ``None``).
    env
        Added to every dashboard process's environment, e.g. ``DATABASE_URL``.
    nginx_stderr
        Send nginx's error log to this process's stderr instead of a file.
    limits
        nginx's limits per client address (:class:`Limits`).
    log_max_bytes, log_backups
        Every log in the run folder is rotated at ``log_max_bytes``, keeping
        ``log_backups`` old files (``LOG_MAX_BYTES``, ``LOG_BACKUPS``).
    """

    def __init__(
        self,
        processes: int = 2,
        *,
        port: int | None = None,
        address: str = "127.0.0.1",
        run_dir: Path | None = None,
        env: Mapping[str, str] | None = None,
        timeout: float = 90.0,
        nginx_stderr: bool = False,
        limits: Limits = LIMITS,
        log_max_bytes: int = LOG_MAX_BYTES,
        log_backups: int = LOG_BACKUPS,
    ) -> None:
        if processes < 1:
            raise ValueError("processes must be at least 1")
        self.limits = limits
        self.log_max_bytes = log_max_bytes
        self.log_backups = log_backups
        self.processes = processes
        self.port = port or free_port()
        self.address = address
        self.env = dict(env or {})
        self.timeout = timeout
        self.nginx_stderr = nginx_stderr
        self._own_run_dir = run_dir is None
        self.run_dir = run_dir
        self.backends: list[Backend] = []
        self.nginx: subprocess.Popen[bytes] | None = None
        self._nginx_log: IO[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()

    @property
    def url(self) -> str:
        """The base URL of nginx, as seen from this machine."""
        return f"http://{_probe_host(self.address)}:{self.port}"

    @property
    def config_path(self) -> Path:
        """The rendered nginx config."""
        assert self.run_dir is not None
        return self.run_dir / "nginx.conf"

    @property
    def access_log(self) -> Path:
        """The nginx access log: one line per request with route and upstream."""
        assert self.run_dir is not None
        return self.run_dir / "logs" / "access.log"

    # -- starting -----------------------------------------------------------

    def start(self) -> None:
        """Start the backends, wait until each is healthy, then start nginx.

        Raises
        ------
        ClusterError
            If nginx is missing, a backend or nginx does not come up in time.
        """
        nginx = nginx_path()
        if nginx is None:
            raise ClusterError("nginx is not installed (apt-get install -y nginx)")
        self._prepare_run_dir()
        raise_open_file_limit()
        assert self.run_dir is not None
        logs = self.run_dir / "logs"
        ports = _distinct_free_ports(self.processes, taken={self.port})
        self.backends = [
            Backend(
                index,
                ports[index],
                logs / f"dashboard-{index}.log",
                log_max_bytes=self.log_max_bytes,
                log_backups=self.log_backups,
            )
            for index in range(self.processes)
        ]
        for backend in self.backends:
            backend.start(self.env)
        self._wait_for_backends()
        self.config_path.write_text(self.render(), encoding="utf-8")
        self._start_nginx(nginx)
        LOG.info(
            "%d dashboard processes behind nginx on %s (from this machine: %s)",
            self.processes,
            listen_address(self.address, self.port),
            self.url,
        )

    def render(self) -> str:
        """The nginx config of this cluster."""
        assert self.run_dir is not None
        return render_config(
            upstreams=[backend.address for backend in self.backends],
            listen=listen_address(self.address, self.port),
            run_dir=self.run_dir,
            access_log=str(self.access_log),
            error_log="stderr" if self.nginx_stderr else str(self._error_log),
            user=worker_user(),
            limits=self.limits,
        )

    @property
    def _error_log(self) -> Path:
        assert self.run_dir is not None
        return self.run_dir / "logs" / "error.log"

    def _prepare_run_dir(self) -> None:
        if self.run_dir is None:
            self.run_dir = Path(tempfile.mkdtemp(prefix="dashboard-serve-"))
        self.run_dir = self.run_dir.resolve()
        (self.run_dir / "logs").mkdir(parents=True, exist_ok=True)
        # Workers run as an unprivileged user when nginx starts as root.
        self.run_dir.chmod(0o755)

    def _wait_for_backends(self) -> None:
        deadline = time.monotonic() + self.timeout
        waiting = list(self.backends)
        while waiting:
            for backend in list(waiting):
                assert backend.process is not None
                if is_healthy(backend.url):
                    waiting.remove(backend)
                elif backend.process.poll() is not None:
                    backend.flush_log()
                    raise ClusterError(
                        f"dashboard process {backend.index} exited with code "
                        f"{backend.process.returncode}:\n{_tail(backend.log_path)}"
                    )
            if waiting and time.monotonic() > deadline:
                raise ClusterError(
                    f"dashboard process {waiting[0].index} was not healthy after "
                    f"{self.timeout:.0f} s:\n{_tail(waiting[0].log_path)}"
                )
            if waiting:
                time.sleep(0.2)

    def _start_nginx(self, nginx: str) -> None:
        assert self.run_dir is not None
        error_log = "stderr" if self.nginx_stderr else str(self._error_log)
        if not self.nginx_stderr:
            self._nginx_log = self._error_log.open("ab")
        self.nginx = subprocess.Popen(
            [
                nginx,
                "-p",
                str(self.run_dir),
                "-c",
                str(self.config_path),
                "-e",
                error_log,
                "-g",
                "daemon off;",
            ],
            stdout=self._nginx_log,
            stderr=self._nginx_log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while not _answers(f"{self.url}/healthz"):
            if self.nginx.poll() is not None or time.monotonic() > deadline:
                detail = "" if self.nginx_stderr else _tail(self._error_log)
                raise ClusterError(
                    f"nginx did not start on {self.url} "
                    f"(exit code {self.nginx.poll()}):\n{detail}"
                )
            time.sleep(0.1)

    # -- supervising --------------------------------------------------------

    def supervise_once(self) -> None:
        """Restart dashboard processes that have exited; check nginx is running.

        Raises
        ------
        ClusterError
            If nginx has stopped.
        """
        with self._lock:
            if self._stopping.is_set():
                return
            now = time.monotonic()
            for backend in self.backends:
                process = backend.process
                if process is not None:
                    if process.poll() is None:
                        continue
                    quick = now - backend.started_at < QUICK_DEATH_S
                    backend.quick_deaths = backend.quick_deaths + 1 if quick else 0
                    delay = min(30.0, 0.25 * 2**backend.quick_deaths) if quick else 0
                    backend.next_start = now + delay
                    backend.process = None
                    LOG.warning(
                        "dashboard process %d (port %d) exited with code %s; "
                        "starting it again in %.1f s",
                        backend.index,
                        backend.port,
                        process.returncode,
                        delay,
                    )
                if now >= backend.next_start:
                    backend.start(self.env)
                    backend.restarts += 1
            if self.nginx is not None and self.nginx.poll() is not None:
                raise ClusterError(f"nginx exited with code {self.nginx.returncode}")
            self.rotate_nginx_logs()

    def rotate_nginx_logs(self) -> bool:
        """Rotate nginx's log files that reached the cap; True if any was.

        In place (copy, then truncate): nginx appends to the same file, so it
        needs no signal. Renaming and SIGUSR1 would depend on nginx's workers
        (``www-data`` when started as root) being able to reopen the file by
        its path, which a private run folder's parents can forbid; the log
        would then grow without bound in the renamed file.
        """
        if self.nginx is None or self.nginx.poll() is not None:
            return False
        logs = [self.access_log] + ([] if self.nginx_stderr else [self._error_log])
        rotated = False
        for path in logs:
            with contextlib.suppress(FileNotFoundError):
                if path.stat().st_size >= self.log_max_bytes:
                    rotate_file(path, self.log_backups, in_place=True)
                    rotated = True
        return rotated

    @contextlib.contextmanager
    def supervising(self, interval: float = 0.25) -> Iterator[None]:
        """Run :meth:`supervise_once` every ``interval`` s in a background thread."""
        done = threading.Event()

        def loop() -> None:
            while not done.wait(interval):
                try:
                    self.supervise_once()
                except ClusterError:
                    LOG.exception("supervision stopped")
                    return

        thread = threading.Thread(target=loop, name="cluster-supervisor", daemon=True)
        thread.start()
        try:
            yield
        finally:
            done.set()
            thread.join()

    # -- stopping -----------------------------------------------------------

    def stop(self) -> None:
        """Stop nginx (fast shutdown), then every dashboard process."""
        self._stopping.set()
        with self._lock:
            if self.nginx is not None and self.nginx.poll() is None:
                self.nginx.terminate()
                try:
                    self.nginx.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    self.nginx.kill()
                    self.nginx.wait()
            for backend in self.backends:
                if backend.process is not None and backend.process.poll() is None:
                    backend.process.terminate()
            for backend in self.backends:
                backend.stop()
            if self._nginx_log is not None:
                self._nginx_log.close()
                self._nginx_log = None
            if self._own_run_dir and self.run_dir is not None:
                shutil.rmtree(self.run_dir, ignore_errors=True)

    def __enter__(self) -> Cluster:
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _distinct_free_ports(count: int, *, taken: set[int]) -> list[int]:
    """``count`` free ports, none of them in ``taken`` nor repeated.

    ``free_port`` only asks the system for a port that is free *now* and lets
    it go, so two calls (or a call and nginx's own port, chosen earlier but not
    yet bound) can return the same number; a backend that took nginx's port
    would then answer on nginx's address.
    """
    chosen: list[int] = []
    while len(chosen) < count:
        port = free_port()
        if port not in taken and port not in chosen:
            chosen.append(port)
    return chosen


@contextlib.contextmanager
def running_cluster(
    processes: int = 2,
    env: Mapping[str, str] | None = None,
    *,
    port: int | None = None,
) -> Iterator[str]:
    """Run ``processes`` dashboards behind nginx, supervised; yield nginx's URL.

    ``env`` adds to every dashboard's environment (e.g. ``DATABASE_URL``).

    Raises
    ------
    ClusterError
        If nginx is missing or the cluster does not come up.
    """
    with Cluster(processes, port=port, env=env) as cluster, cluster.supervising():
        yield cluster.url


def raise_open_file_limit(wanted: int = 65536) -> None:
    """Raise this process's soft limit on open files (children inherit it).

    Every browser tab holds a websocket: a file descriptor in nginx and in a
    dashboard process. Debian's default soft limit (1024) is low for a full
    lecture hall; the hard limit is usually far higher.
    """
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))


def _default_processes() -> int:
    """Three dashboard processes per core.

    One Streamlit process runs its sessions' scripts under one GIL, and its
    latency grows with the sessions it holds. Measured with ``make load-bench``
    on two cores (p95 rerun, 300-student lecture / 100-student burst): four
    processes 0.35-0.5 s / 1.27 s, six 39-55 ms / 1.24-1.43 s, eight 55 ms /
    1.53 s (each process costs CPU too, which a burst feels). See the README's
    Speed section.
    """
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        cores = os.cpu_count() or 1
    return 3 * cores


def _interrupt(signum: int, frame: object) -> None:
    # The first Ctrl-C or SIGTERM stops everything; later ones cannot cut it short.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: serve until Ctrl-C or SIGTERM."""
    parser = argparse.ArgumentParser(
        prog="python -m deploy.serve",
        description="Serve the dashboard from several Streamlit processes "
        "behind nginx with cookie-sticky sessions.",
    )
    parser.add_argument(
        "--processes",
        type=int,
        default=_default_processes(),
        help="dashboard processes to start (default: three per core, here %(default)s)",
    )
    parser.add_argument(
        "--port", type=int, default=8080, help="nginx's port (default %(default)s)"
    )
    parser.add_argument(
        "--address",
        default="0.0.0.0",
        help="address nginx listens on (default %(default)s: every interface, "
        "so students' devices can connect; 127.0.0.1 for this machine only)",
    )
    parser.add_argument(
        "--run-dir",
        type=Path,
        default=DEFAULT_RUN_DIR,
        help="nginx config, pid, temp files and logs (default %(default)s)",
    )
    parser.add_argument(
        "--compose-config",
        action="store_true",
        help="print the nginx config for deploy/compose.yaml and exit",
    )
    args = parser.parse_args(argv)
    if args.compose_config:
        sys.stdout.write(compose_config())
        return 0
    if args.processes < 1:
        parser.error("--processes must be at least 1")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    cluster = Cluster(
        args.processes,
        port=args.port,
        address=args.address,
        run_dir=args.run_dir,
        nginx_stderr=True,
    )
    try:
        with cluster:
            LOG.info("logs in %s; Ctrl-C stops everything", cluster.run_dir)
            while True:
                time.sleep(0.5)
                cluster.supervise_once()
    except KeyboardInterrupt:
        LOG.info("stopped")
        return 0
    except ClusterError as error:
        LOG.error("%s", error)
        return 1


if __name__ == "__main__":
    raise SystemExit(main())
