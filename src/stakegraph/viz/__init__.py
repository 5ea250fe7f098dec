"""Views: influence map, support grid, interactive HTML, report, slides."""
