"""pipeline: track a city's investment-attraction pipeline from the command line."""

__version__ = "0.1.0"


def _quiet_interrupt_while_starting() -> None:
    """Ctrl-C while the console script is still importing: exit 130 at once, no traceback.

    Nothing is open yet, so there is nothing to undo; cli.main installs the
    real handler. Only for the `pipeline` script, never when imported by a
    program of its own. The first thing the package does, with nothing
    imported that Python has not loaded already (`_signal`, not `signal`,
    which builds enums for some milliseconds): before it, Ctrl-C meets
    Python's own start-up.
    """
    import os
    import sys

    if sys.argv and os.path.basename(sys.argv[0]) == "pipeline":
        import _signal  # type: ignore[import-not-found]

        try:  # noqa: SIM105 (contextlib is not loaded yet: importing it costs the time this saves)
            _signal.signal(_signal.SIGINT, lambda _signum, _frame: os._exit(130))
        except ValueError:  # not the main thread
            pass


_quiet_interrupt_while_starting()
