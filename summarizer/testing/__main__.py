"""`python -m summarizer.testing`: the reference server with faults and limits."""

from .command import main

raise SystemExit(main())
