"""Run the CLI as ``python -m gcx``."""

from gcx.cli import main

raise SystemExit(main())
