"""Server-made SVG charts, the same picture in pages and PDFs, with no JavaScript.

Pure Python on plain data (no Django). Every chart has a <title> and <desc> for screen
readers; pages also print the figures in a table beside it. Colours come from the
Okabe–Ito palette, which colour-blind readers can tell apart, and series also differ by
dash pattern and marker shape so that a grey printout stays readable.
"""

from ceds.charts.svg import (
    CountryShade,
    CountryShape,
    Marker,
    Series,
    bars,
    lines,
    point_in_feature,
    project,
    project_world,
    radar,
    world_map,
)

__all__ = [
    "CountryShade",
    "CountryShape",
    "Marker",
    "Series",
    "bars",
    "lines",
    "point_in_feature",
    "project",
    "project_world",
    "radar",
    "world_map",
]
