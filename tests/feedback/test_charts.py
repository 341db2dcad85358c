"""The QA-score-against-CSAT scatter chart: one circle per spot, its count in the title."""

from __future__ import annotations

import re

from serviceqa.web.charts import scatter


def test_points_on_one_spot_are_one_larger_circle() -> None:
    svg = str(scatter([(80, 5), (80, 5), (80.2, 5), (40, 2)], x_label="QA <score>"))
    circles = re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"><title>([^<]*)',
                         svg)
    assert [c[3] for c in circles] == ["40, 2: 1", "80, 5: 3"]
    assert float(circles[1][2]) > float(circles[0][2])
    assert float(circles[1][1]) < float(circles[0][1])  # 5 stars is higher up
    assert "QA &lt;score&gt;" in svg


def test_no_points() -> None:
    assert "svg" not in str(scatter([]))
