"""Where one page spends its time: a GET as one user, repeated, under cProfile, with its query count.

    DEBUG=0 ALLOW_INSECURE_DEV_KEY=1 DATABASE_URL=... .venv/bin/python bench/profile_page.py load-town-01 /enterprises/ [--repeat 5]

Runs in-process through Django's test client (no server, no network), so the figures are the page's own cost.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("username")
    parser.add_argument("path")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25)
    options = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fuyang_portal.settings")
    os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django_otp import DEVICE_ID_SESSION_KEY

    from fuyang_portal.models import User

    user = User.objects.get(username=options.username)
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    device = next(iter(user.totpdevice_set.filter(confirmed=True)), None)
    if device is not None:  # a district account: the session carries its verified second factor, as after sign-in
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()
    client.get(options.path)  # warm: templates compiled, connections open
    timings = []
    profile = cProfile.Profile()
    with CaptureQueriesContext(connection) as queries:
        for _ in range(options.repeat):
            started = time.perf_counter()
            profile.enable()
            response = client.get(options.path)
            profile.disable()
            timings.append(time.perf_counter() - started)
    print(f"{options.path} as {options.username}: status {response.status_code}, {len(response.content)} bytes, "
          f"{len(queries) // options.repeat} queries, {1000 * min(timings):.0f}-{1000 * max(timings):.0f} ms")
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(options.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
