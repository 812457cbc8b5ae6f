"""The state directory: paths, locking, atomic writes, schema versions."""
