"""Benchmark scripts: run with python -m benchmarks.<name>; they print figures, they do not assert."""
import os


def production_settings() -> None:
    """Measure as production runs: DEBUG off (cached templates, no query log), the test client's host allowed."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_DEBUG", "0")
    os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-only-not-a-secret-" + "x" * 30)
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver")


def fill(people: int, *, skip: bool = False) -> None:
    """Migrate and fill the database named by DATABASE_URL with `demo_data --people N` (unless `skip`), then
    vacuum and analyse it as autovacuum would. Call after django.setup()."""
    import time

    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings

    if not skip:
        started = time.perf_counter()
        call_command("migrate", verbosity=0)
        # A throw-away database, measured in production mode: the demo's development-only guard is lifted here.
        with override_settings(DEVELOPMENT=True):
            call_command("demo_data", people=people)
        print(f"filled in {time.perf_counter() - started:.0f} s")
    with connection.cursor() as cursor:
        # Fresh planner statistics; on PostgreSQL also the visibility map, which autovacuum keeps in production
        # and which lets a count be read from an index alone (this machine's server runs without autovacuum).
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")
