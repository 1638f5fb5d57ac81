"""Front ends for people who do not use a terminal: ``tasks`` (check one file's
bytes, or write its findings into a commented Word copy: shared with
``gilint annotate``) and ``app`` (the local upload page of ``gilint serve``).

Importing this package loads neither Starlette nor uvicorn; ``app`` does.
"""
