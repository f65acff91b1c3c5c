from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenchConfig(AppConfig):
    """Tooling: the district-scale data generator and the benchmark (issue 8). No models, no pages."""

    name = "bench"
    verbose_name = _("Benchmarks")
