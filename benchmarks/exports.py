"""How long does exporting every case take, and how much memory?

    python -m benchmarks.exports [--people 100000] [--skip-fill] [--model case]

Fills the database named by DATABASE_URL as benchmarks.pages does (skip with --skip-fill), then exports every
row of the model's admin list as CSV and as XLSX, as the demo supervisor, through Django's test client, reading
the response as a browser would (chunk by chunk, not kept). Prints the seconds, the bytes and how much the
process's peak memory grew.
"""
from __future__ import annotations

import argparse
import resource
import time

from benchmarks import fill, production_settings


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000, help="demo people (= cases) to fill with (100000)")
    parser.add_argument("--skip-fill", action="store_true", help="do not migrate or run demo_data")
    parser.add_argument("--model", default="case", help="the admin list to export: case, person, referral… (case)")
    args = parser.parse_args()

    production_settings()
    import django

    django.setup()
    fill(args.people, skip=args.skip_fill)

    from django.apps import apps
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_test_environment
    from django.urls import reverse

    from benchmarks.pages import signed_in

    setup_test_environment()  # the export form is read off the page's context, as the tests do

    model = apps.get_model("cases", args.model)
    client = signed_in(get_user_model().objects.get(username="supervisor"))
    url = reverse(f"admin:cases_{args.model}_export")
    form = client.get(url).context["form"]
    selected = {name: "on" for name, field in form.fields.items() if getattr(field, "is_selectable_field", False)}
    print(f"database: {connection.vendor}, {model._meta.verbose_name_plural}: {model.objects.count()}")
    for label, file_format in (("CSV", "0"), ("XLSX", "1")):
        before, started = peak_mb(), time.perf_counter()
        response = client.post(url, {**selected, "format": file_format})
        size = sum(len(chunk) for chunk in response) if response.streaming else len(response.content)
        print(f"{label:<5} {time.perf_counter() - started:7.1f} s  {size / 1e6:7.1f} MB  "
              f"peak memory +{peak_mb() - before:.0f} MB")


if __name__ == "__main__":
    main()
