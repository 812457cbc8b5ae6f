from vmss_cli.cli.main import console

raise SystemExit(console())
