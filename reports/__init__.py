"""Brand reports: the figures (data), their charts and HTML/PDF/CSV rendering, and scheduled delivery."""
