def pytest_terminal_summary(terminalreporter):
    """How many fuzzed requests were sent, and how many answered with a server error (must be none)."""
    from tests.api import test_fuzz

    if test_fuzz.SENT:
        errors = sum(1 for status in test_fuzz.SENT if status >= 500)
        terminalreporter.write_line(f"API fuzzing: {len(test_fuzz.SENT)} requests sent, {errors} server errors")
