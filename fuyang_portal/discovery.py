"""The portal's own apps, found rather than listed: the core names no app. The API router, the policy
registry and ``load_demo`` each import a module of that name from every one of them that has it."""

from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.conf import settings


def project_apps():
    """The installed apps whose code lives in this repository (not in site-packages), the core first."""
    root = Path(settings.BASE_DIR).resolve()
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if root in path.parents and "site-packages" not in path.parts:
            found.append(config)
    return found


def app_modules(name, *, include_core=False):
    """``<app>.<name>`` for every project app that has it, in INSTALLED_APPS order."""
    for config in project_apps():
        if config.name == "fuyang_portal" and not include_core:
            continue
        try:
            yield config, import_module(f"{config.name}.{name}")
        except ModuleNotFoundError as missing:
            if missing.name != f"{config.name}.{name}":
                raise
