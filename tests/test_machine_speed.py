"""The benchmarks' machine-speed probe: fixed work, a positive rate, no serviceqa in it."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

PROBE = Path(__file__).resolve().parents[1] / "benchmarks" / "machine_speed.py"


def _probe():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("machine_speed", PROBE)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_each_round_does_the_same_work() -> None:
    probe = _probe()
    assert probe.one_round() == probe.one_round() > 0


def test_the_probe_reports_both_rates_as_positive_numbers() -> None:
    result = _probe().measure(rounds=5, samples=3)
    assert set(result) == {"rounds_per_cpu_s", "rounds_per_s"}
    assert all(rate > 0 for rate in result.values())


def test_the_probe_measures_the_machine_not_serviceqa() -> None:
    script = (f"import runpy, sys; runpy.run_path({str(PROBE)!r}); "
              "print(any(name.startswith('serviceqa') for name in sys.modules))")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip() == "False"
