"""Server-side SVG charts for pages and PDF reports: no JavaScript, nothing fetched.

Each function returns standalone SVG markup with every piece of text escaped,
so templates may mark it safe (``Markup(line_chart(...))``) and WeasyPrint can
render it inline. Values are Decimals (ints and floats work too); they become
floats only as pixel coordinates, and labels are formatted from exact values.
"""

from b2b_loyalty.charts.bar_chart import bar_chart
from b2b_loyalty.charts.line_chart import Series, line_chart
from b2b_loyalty.charts.scales import PALETTE, LinearScale, default_format, nice_ticks

__all__ = [
    "PALETTE",
    "LinearScale",
    "Series",
    "bar_chart",
    "default_format",
    "line_chart",
    "nice_ticks",
]
