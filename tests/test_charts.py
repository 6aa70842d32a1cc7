"""Charts people compare: drawn from a JSON block (no inline script), with the same figures in a table and a download."""

import csv
import io
import json
import re

from openpyxl import load_workbook

from villageburden.charts import Chart, Series, chart_download


def test_public_catalogue_chart_has_its_table_and_figures(client, world, county_catalogue):
    html = client.get(f"/catalogs/public/{world.county.code}/?as_of=2026-03-01").content.decode()
    block = re.search(r'<script id="catalogue-lists" type="application/json">(.*?)</script>', html, re.S)
    assert block, "the chart's figures travel as a JSON data block"
    config = json.loads(block.group(1))
    labels = config["data"]["labels"]
    items = config["data"]["datasets"][0]["data"]
    assert "负面" in labels and "协助" in labels and sum(items) > 0
    # The table beside the chart shows the same numbers, in Chinese.
    table = html[html.index('data-chart="catalogue-lists"') :]
    assert "<td>协助</td>" in table and "<th>清单</th>" in table
    assert 'src="/static/js/charts.js"' in html or "js/charts" in html


def test_chart_download_is_the_table_as_csv_and_xlsx():
    chart = Chart(
        slug="by-township",
        title="负担",
        label_header="乡镇",
        labels=["百灵淖尔镇", "=cmd"],
        series=[Series("事项", [3, 4]), Series("小时", [1.5, 2.0], axis="y1")],
    )
    text = chart_download(chart, "csv").content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    assert rows == [["乡镇", "事项", "小时"], ["百灵淖尔镇", "3", "1.5"], ["'=cmd", "4", "2.0"]]
    book = load_workbook(io.BytesIO(chart_download(chart, "xlsx").content))
    sheet = book.active
    assert [c.value for c in sheet[2]] == ["百灵淖尔镇", 3, 1.5]
    assert chart.config()["options"]["scales"]["y1"]["position"] == "right"
