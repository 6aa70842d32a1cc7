"""Figures people compare: a chart with its table beside it, and the same figures as CSV or xlsx.

One shape for every chart in the product. A view builds a :class:`Chart`
from a selector's figures, passes it to ``templates/includes/chart.html``
(canvas + table + download links) and answers ``?download=<slug>&format=csv|xlsx``
with :func:`chart_download`. The drawing is ``static/js/charts.js`` over the
locally served Chart.js; the figures travel as a JSON data block, never as an
inline script (the CSP forbids those).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from typing import Any

from django.http import HttpResponse

from spreadsheets.writing import write_csv, write_xlsx

COLOURS = ("#a4161a", "#adb5bd", "#1d3557", "#e9c46a", "#2a9d8f", "#6c757d")


@dataclass
class Series:
    label: str
    values: list[float | int]
    axis: str = "y"  # "y" (left) or "y1" (right, for a second unit such as hours)


@dataclass
class Chart:
    """A bar or line chart over ``labels``; one or more series; the table shows the same numbers."""

    slug: str
    title: str
    labels: list[str]
    series: list[Series] = field(default_factory=list)
    kind: str = "bar"  # "bar" or "line"
    label_header: str = ""
    stacked: bool = False

    def header(self) -> list[str]:
        return [self.label_header or self.title, *[str(s.label) for s in self.series]]

    def rows(self) -> list[list[Any]]:
        return [[label, *[s.values[i] for s in self.series]] for i, label in enumerate(self.labels)]

    def config(self) -> dict[str, Any]:
        """What ``charts.js`` draws (Chart.js configuration, no functions)."""
        two_axes = any(s.axis == "y1" for s in self.series)
        scales: dict[str, Any] = {"y": {"beginAtZero": True, "position": "left", "stacked": self.stacked}}
        if two_axes:
            scales["y1"] = {"beginAtZero": True, "position": "right", "grid": {"drawOnChartArea": False}}
        if self.stacked:
            scales["x"] = {"stacked": True}
        return {
            "type": self.kind,
            "data": {
                "labels": [str(label) for label in self.labels],
                "datasets": [
                    {
                        "label": str(s.label),
                        "data": s.values,
                        "yAxisID": s.axis,
                        "backgroundColor": COLOURS[i % len(COLOURS)],
                        "borderColor": COLOURS[i % len(COLOURS)],
                    }
                    for i, s in enumerate(self.series)
                ],
            },
            "options": {"responsive": True, "animation": False, "scales": scales},
        }


def chart_download(chart: Chart, fmt: str) -> HttpResponse:
    """The chart's table as a CSV (with BOM, so Excel reads Chinese) or an .xlsx."""
    if fmt == "xlsx":
        out = io.BytesIO()
        write_xlsx(chart.header(), chart.rows(), out, title=chart.slug)
        response = HttpResponse(
            out.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{chart.slug}.xlsx"'
        return response
    text = io.StringIO()
    text.write("\ufeff")
    write_csv(chart.header(), chart.rows(), text)
    response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{chart.slug}.csv"'
    return response
