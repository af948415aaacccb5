"""The library's error hierarchy: callers catch exactly what they can handle.

    SummarizerError
    ├── ArticleError            bad input: the file or text cannot become an Article
    │   ├── EmptyArticleError
    │   ├── BinaryInputError
    │   ├── DecodeError
    │   ├── ArticleTooLargeError
    │   ├── NoBodyError
    │   ├── MissingExtraError      HTML input without the optional [html] extra installed
    │   └── NotARegularFileError   (also an OSError: a FIFO, device or folder)
    ├── TokenizerError          the shipped BPE file is missing or corrupt
    ├── ContextTooSmallError    the fixed prompt and the output limit leave no room for the
    │                           article in the `context_tokens` given
    ├── ModelError              a model call failed for good (after retries)
    │   ├── RefusalError        the model refused
    │   │   └── ContentFilterError   a content filter stopped the answer
    │   ├── OutputTruncatedError     the answer was cut at the output limit (split and ask again)
    │   ├── BudgetExceededError      the article spent its budget of calls or output tokens
    │   ├── ContextExceededError     the server said the prompt does not fit its context (never
    │   │                            retried as is: the pipeline splits the chunk)
    │   ├── RequestTimeoutError      the request timed out, also when retried once
    │   └── ModelOutputError    the model's output is unusable: never validated against the
    │       │                   schema, empty, no choices, or not a chat completion
    │       ├── DegenerateOutputError   the answer repeated one string until the output limit
    │       └── AnswerProcessingError   an answer made a later stage fail unexpectedly (the
    │                                   original exception is chained as __cause__)

A fact that fails to verify is a finding in the Digest (`verification`), never an exception.

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


class MissingExtraError(ArticleError):
    """The input needs an optional part of the library that is not installed (the message
    names the extra to install, e.g. `pip install 'summarizer[html]'`)."""


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


class ContextExceededError(ModelError):
    """The server answered that the request does not fit the model's context (llama.cpp
    "Context size has been exceeded", OpenAI "context_length_exceeded", vLLM "maximum context
    length"). Sending it again cannot help: the pipeline splits the chunk, as for a truncated
    answer, or the article fails with this reason."""


class RequestTimeoutError(ModelError):
    """The request timed out (`times` times, each after `timeout` seconds) and is not sent
    again: a timeout is retried at most once."""

    def __init__(self, timeout: float, *, times: int = 1, chunk: int | None = None) -> None:
        self.timeout = timeout
        self.times = times
        said = "once" if times == 1 else "twice" if times == 2 else f"{times} times"
        super().__init__(
            f"the model request timed out {said} after {timeout:g} s; a slow server (a"
            " model on a CPU) needs a longer timeout: --timeout SECONDS on the command line,"
            " request_timeout= in Python",
            chunk=chunk,
        )


class ContextTooSmallError(SummarizerError):
    """`context_tokens` cannot hold the fixed part of a request (system prompt, schema,
    metadata, captions) plus the output limit, so no chunk of the article would fit."""

    def __init__(self, context: int, fixed: int, output: int) -> None:
        self.context = context
        self.fixed = fixed
        self.output = output
        super().__init__(
            f"context_tokens={context:,} cannot hold a request: the fixed prompt takes about"
            f" {fixed:,} tokens and the output limit (max_completion_tokens) {output:,}, leaving"
            " no room for the article; raise context_tokens (the server's context size) or"
            " lower max_completion_tokens"
        )


class RefusalError(ModelError):
    pass


class ContentFilterError(RefusalError):
    """The provider's content filter stopped the answer (finish_reason "content_filter")."""


class ModelOutputError(ModelError):
    pass


class OutputTruncatedError(ModelError):
    """The model hit its output limit (finish_reason "length"): the input must be split."""


class DegenerateOutputError(ModelOutputError):
    """The answer was cut at the output limit while repeating one string ("PEOPLLE PEOPLLE …",
    "1000000…"): a looping model, which splitting the input does not cure. `unit` is the
    repeated string."""

    def __init__(self, message: str, *, unit: str, chunk: int | None = None) -> None:
        self.unit = unit
        super().__init__(message, chunk=chunk)


class AnswerProcessingError(ModelOutputError):
    """An answer made a stage after the model call (merge, verify, building the Digest) raise an
    unexpected exception; that exception is the `__cause__`. The article fails with this typed
    error instead of the exception escaping `summarize`."""


class BudgetExceededError(ModelError):
    """The article spent its budget: `spent` of `limit` `resource` ("calls" or
    "output_tokens"). No further call is started for the article."""

    def __init__(self, resource: str, spent: int, limit: int, *, chunk: int | None = None) -> None:
        self.resource = resource
        self.spent = spent
        self.limit = limit
        what = "calls" if resource == "calls" else "output tokens"
        super().__init__(
            f"the article's budget of model {what} is spent: {spent:,} of {limit:,}"
            " (raise or disable it with the max_calls_per_article /"
            " max_output_tokens_per_article options)",
            chunk=chunk,
        )
