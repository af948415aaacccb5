"""`python -m summarizer.testing`: the reference server with faults and limits."""

from .server import main

raise SystemExit(main())
