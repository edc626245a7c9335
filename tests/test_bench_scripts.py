"""The metrics benchmark runs as the README says, on a small portfolio (issue 4's
acceptance: one documented command that prints the ratios). Speed is not judged
here; the scripts in bench/ measure it at the stated scale."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench"


def test_generator_and_metrics_bench_print_each_figure_with_its_ratio(tmp_path, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("the bench runs on its own SQLite file; once is enough")
    url = f"sqlite:///{tmp_path / 'bench.sqlite'}"
    built = subprocess.run(
        [sys.executable, str(BENCH / "generate_portfolio.py"), "--database", url,
         "--accounts", "30", "--orders", "600", "--managers", "3",
         "--stakeholders-per-account", "2"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    assert "built 30 accounts" in built.stdout
    timed = subprocess.run(
        [sys.executable, str(BENCH / "bench_metrics.py"), "--database", url, "--repeat", "1"],
        capture_output=True, text=True, timeout=300, check=True,
    )  # fmt: skip
    ratios = re.findall(
        r"^(dashboard|account page):\s+request .* ratio\s+([\d.]+)x", timed.stdout, re.M
    )
    assert [name for name, _ in ratios] == ["dashboard", "account page"], timed.stdout
    assert all(float(ratio) > 0 for _, ratio in ratios)
    # The dashboard's baseline is SQL computing its figures, checked equal to the app's
    # (the bench exits 1 when they differ), beside the replay of the request's queries.
    assert re.search(
        r"^dashboard:\s+bare SQL computing its figures\s+[\d.]+ ms", timed.stdout, re.M
    )
    assert re.search(r"^dashboard:\s+bare SQL replaying its input queries", timed.stdout, re.M)
    assert "figures equal: yes" in timed.stdout, timed.stdout
