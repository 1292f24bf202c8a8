"""Benchmark scripts: run with python -m benchmarks.<name>; they print figures, they do not assert."""
import os


def production_settings() -> None:
    """Measure as production runs: DEBUG off (cached templates, no query log), the test client's host allowed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 30)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")
