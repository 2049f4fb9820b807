"""Data in: reading users' files, mapping their headers, parsing values, importing rows."""
