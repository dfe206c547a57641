"""The number of SQL statements each request ran, in an ``X-Query-Count`` response header, so
that a benchmark over HTTP (``bench/run.py``) sees what a test's query-count assertion sees.

Installed only when ``QUERY_COUNT_HEADER`` is on (``DJANGO_QUERY_COUNT_HEADER=1``): a
deployment does not tell every client how much work its pages take.
"""

from django.db import connections

HEADER = "X-Query-Count"


class QueryCountMiddleware:
    """Counts the statements of every database connection while the request is handled."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counter(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        wrappers = [connection.execute_wrapper(counter) for connection in connections.all()]
        for wrapper in wrappers:
            wrapper.__enter__()
        try:
            response = self.get_response(request)
        finally:
            for wrapper in reversed(wrappers):
                wrapper.__exit__(None, None, None)
        # A streamed response runs its statements after this returns: it carries no count
        # rather than a wrong one.
        if not response.streaming:
            response[HEADER] = str(count)
        return response
