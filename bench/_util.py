"""Helpers the benchmarks share: a throwaway demo database and a 2-worker gunicorn on loopback."""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def bench_env(workdir: Path) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "bench-only-secret-" + "x" * 40,
            "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DJANGO_SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": env.get("BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"),
            "PRIVATE_MEDIA_ROOT": str(workdir / "private"),
            "MEDIA_ROOT": str(workdir / "media"),
            "STATIC_ROOT": str(workdir / "static"),
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


@contextmanager
def demo_server(workers: int = 2):
    """Yield the base URL of gunicorn serving a fresh demo database."""
    with tempfile.TemporaryDirectory(prefix="cau-bench-") as tmp:
        env = bench_env(Path(tmp))
        manage(env, "migrate", "--noinput")
        manage(env, "collectstatic", "--noinput")
        manage(env, "load_demo")
        port = free_port()
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "portal.wsgi",
                "-w",
                str(workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_until_up(f"http://127.0.0.1:{port}/healthz")
            yield f"http://127.0.0.1:{port}", env
        finally:
            proc.terminate()
            proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).read()  # noqa: S310 (loopback only)
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server at {url} did not come up")


def requests_per_second(url: str, total: int = 400, concurrency: int = 4, uncached: bool = False) -> float:
    """A bounded loop of GETs against a loopback URL; returns completed requests per second.

    `uncached` adds a distinct query string to every request, so no response cache can answer it.
    """

    def fetch(n):
        target = f"{url}{'&' if '?' in url else '?'}bench={n}" if uncached else url
        with urllib.request.urlopen(target, timeout=10) as response:  # noqa: S310 (loopback only)
            response.read()

    for n in range(10):
        fetch(-n - 1)
    start = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(fetch, range(total)))
    return total / (time.perf_counter() - start)
