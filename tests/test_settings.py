import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run_manage(*args, env_extra):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(env_extra)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage(
        "check",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        },
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = run_manage(
        "check",
        env_extra={"DJANGO_SETTINGS_MODULE": "portal.settings.production", "DJANGO_SECRET_KEY": "x" * 60},
    )
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS must be set" in result.stderr


def test_check_deploy_is_clean():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env_extra={
            "DJANGO_SETTINGS_MODULE": "portal.settings.production",
            "DJANGO_SECRET_KEY": "k3y-" + "a1b2c3d4e5f6g7h8i9j0" * 3,
            "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        },
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr


def test_production_workers_share_one_cache_without_redis(tmp_path):
    """Retiring cached pages must reach every worker process: never a per-process cache in production."""
    code = (
        "from django.core.cache import cache; cache.set('shared', 'yes', 60)\n"
        "import subprocess, sys\n"
        "other = subprocess.run([sys.executable, 'manage.py', 'shell', '-c',"
        " 'from django.core.cache import cache; print(cache.get(\"shared\"))'], capture_output=True, text=True)\n"
        "print(other.stdout.strip())"
    )
    env = {
        "DJANGO_SETTINGS_MODULE": "portal.settings.production",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DJANGO_ALLOWED_HOSTS": "portal.example.org",
        "PORTAL_CACHE_DIR": str(tmp_path / "cache"),
        "REDIS_URL": "",
    }
    result = run_manage("shell", "-c", code, env_extra=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "yes"
