"""Views: influence map, support grid, interactive HTML, report, slides.

- :mod:`stakegraph.viz.influence_map` — :func:`~stakegraph.influence_map`, the map for slides;
- :mod:`stakegraph.viz.grid` — :func:`~stakegraph.support_grid`, power against support;
- :mod:`stakegraph.viz.layout` — where each person goes (hierarchy, spring, coalitions);
- :mod:`stakegraph.viz.export` — :func:`~stakegraph.save_figure` (PNG 300 dpi, SVG, PDF);
- :mod:`stakegraph.viz.html` — :func:`~stakegraph.export_html`, the offline interactive map;
- :mod:`stakegraph.viz.report` — :func:`~stakegraph.write_report`, the one-page account report;
- :mod:`stakegraph.viz.pptx` — :func:`~stakegraph.export_pptx`, three editable slides;
- :mod:`stakegraph.viz.svg` — the small inline map shown in notebooks.

Nothing here is imported by ``import stakegraph``: matplotlib loads on first use.
"""
