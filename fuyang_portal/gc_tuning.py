"""A web process's long-lived objects kept out of the garbage collector's full passes.

A served page allocates tens of thousands of objects; every few dozen pages that triggers a full collection, which
walks everything the process holds (the code, settings, URL patterns, compiled templates): 2 to 3 ms a page on
average for a list, and a 100 ms pause now and then. ``gc.freeze()`` moves what exists into a generation the
collector leaves alone. It is called once the application is loaded and again after the first pages, when the
templates, translations and menus built on first use are there too; garbage is collected first, so none is kept."""

import gc
import itertools

from django.urls import get_resolver

WARM_UP_REQUESTS = 100


def freeze():
    gc.collect()
    gc.freeze()


def frozen_after_warm_up(application, after=WARM_UP_REQUESTS):
    get_resolver().url_patterns  # imports every view module now rather than on the first page
    freeze()
    served = itertools.count(1)  # next() on a count is atomic: safe in a threaded worker

    def wsgi(environ, start_response):
        if next(served) == after:
            freeze()
        return application(environ, start_response)

    return wsgi
