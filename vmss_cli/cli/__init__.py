"""typer apps, one module per az command group."""
