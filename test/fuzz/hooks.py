"""Schemathesis hooks for scripts/fuzz.sh (loaded through SCHEMATHESIS_HOOKS).

Works around a CPython 3.11 bug in the fuzzer's own machinery, not in the API:
to name a filter lambda, hypothesis re-parses the source module that defines
it (`ast.parse` of schemathesis' 4,000-line coverage module), and on Python
3.11 that parse can fail at random with `SystemError: AST constructor
recursion depth mismatch`. Schemathesis then reports a "Runtime Error" for the
operation it was generating and the run fails, although no request was sent
(seen once in about a dozen short runs). The description is only cosmetic,
so such a lambda is named `lambda: <unknown>`, as hypothesis does when it
cannot find the source.
"""

from hypothesis.internal import lambda_sources

_describe = lambda_sources._lambda_description


def _describe_or_unknown(f, *args, **kwargs):
    try:
        return _describe(f, *args, **kwargs)
    except SystemError:
        return "lambda: <unknown>"


lambda_sources._lambda_description = _describe_or_unknown
