"""The parts of `summarizer.verify`: result models (`results`), the article as read once per
call (`reading`), the fact checks and coverage (`facts`), the summary check (`summary`).
`summarizer.verify` is the entry point and re-exports the public names.

May import: `summarizer.align`, `summarizer.matching`, `summarizer.article`,
`summarizer.schemas`, `summarizer.vietnamese`.
"""
