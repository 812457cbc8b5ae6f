"""az's output rules: formats, --query, error text, progress."""
