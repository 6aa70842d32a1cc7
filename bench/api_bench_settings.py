"""Settings for ``bench_api_list.py``: the project's, with the baseline view's URL added."""

from villageburden.settings import *  # noqa: F403

ROOT_URLCONF = "api_bench_urls"
