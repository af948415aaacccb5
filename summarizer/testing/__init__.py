"""The reference server (see `summarizer.testing.server`); re-exports its public names."""

from .server import *  # noqa: F403
from .server import __all__, _Handler, main, numbered_variant  # noqa: F401
