"""The emulated world. Imports neither typer nor rich: it returns data and never prints."""
