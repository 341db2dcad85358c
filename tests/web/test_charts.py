"""Inline SVG charts: the numbers are in the page, labels are escaped, empty data is a dash."""

from __future__ import annotations

from serviceqa.web import charts


def test_bars_carry_label_and_value_and_escape() -> None:
    svg = str(charts.bars([("Приветствие", 74.0), ("<b>", 8)], 100, "%"))
    assert svg.startswith("<svg") and svg.count("<rect") == 2
    assert "<title>Приветствие: 74%</title>" in svg and "&lt;b&gt;" in svg and "<b>" not in svg


def test_line_has_a_point_per_day_and_the_first_and_last_dates() -> None:
    svg = str(charts.line([("2026-11-02", 80.0), ("2026-11-03", 55.5), ("2026-11-04", 90)]))
    assert svg.count("<circle") == 3 and "2026-11-02" in svg and "2026-11-04" in svg


def test_no_data_is_a_dash() -> None:
    assert "—" in charts.bars([]) and "—" in charts.line([])
