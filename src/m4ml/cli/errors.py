"""The two ways a command fails, and the exit code each maps to."""

__all__ = ["DataError", "UsageProblem"]


class DataError(Exception):
    """A data or model problem found while running (exit code 1)."""

    exit_code = 1


class UsageProblem(Exception):
    """A usage error the argument parser cannot see, e.g. an unknown model name (exit code 2)."""

    exit_code = 2
