"""The library's error hierarchy: callers catch exactly what they can handle.

    SummarizerError
    ├── ArticleError            bad input: the file or text cannot become an Article
    │   ├── EmptyArticleError
    │   ├── BinaryInputError
    │   ├── DecodeError
    │   ├── ArticleTooLargeError
    │   ├── NoBodyError
    │   └── NotARegularFileError   (also an OSError: a FIFO, device or folder)
    ├── TokenizerError          the shipped BPE file is missing or corrupt
    ├── ModelError              a model call failed for good (after retries)
    │   ├── RefusalError        the model refused
    │   │   └── ContentFilterError   a content filter stopped the answer
    │   └── ModelOutputError    the model's output never validated against the schema
    └── VerificationError       verification could not run (not: a fact failed to verify)

Every ArticleError names its source (a path, or "<text>") so that a batch can report it.
"""

from __future__ import annotations


class SummarizerError(Exception):
    """Base class of every error this library raises on purpose."""


class ArticleError(SummarizerError):
    """An input that cannot be turned into an Article."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


class EmptyArticleError(ArticleError):
    pass


class BinaryInputError(ArticleError):
    pass


class DecodeError(ArticleError):
    pass


class ArticleTooLargeError(ArticleError):
    pass


class NoBodyError(ArticleError):
    pass


class NotARegularFileError(ArticleError, OSError):
    """The path names a FIFO, a socket, a device or a directory, not a file to read.

    Also an OSError, as reading such a path raised before (IsADirectoryError for a folder)."""


class TokenizerError(SummarizerError):
    pass


class ModelError(SummarizerError):
    """A model call that failed for good; `chunk` says which part of the article it was for."""

    def __init__(self, message: str, *, chunk: int | None = None) -> None:
        self.chunk = chunk
        # What the failed call's attempts cost (a summarizer.llm.Usage), set by the caller.
        self.usage: object = None
        super().__init__(message)


class RefusalError(ModelError):
    pass


class ContentFilterError(RefusalError):
    """The provider's content filter stopped the answer (finish_reason "content_filter")."""


class ModelOutputError(ModelError):
    pass


class VerificationError(SummarizerError):
    pass


class OutputTruncatedError(ModelError):
    """The model hit its output limit (finish_reason "length"): the input must be split."""
