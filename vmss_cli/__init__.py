"""vmss: an offline emulator of Azure VM scale set automatic OS image upgrades."""

__version__ = "0.1.0"
