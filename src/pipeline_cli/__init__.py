"""pipeline: track a city's investment-attraction pipeline from the command line."""

__version__ = "0.1.0"


def _quiet_interrupt_while_starting() -> None:
    """Ctrl-C while the console script is still importing: exit 130 at once, no traceback.

    Nothing is open yet, so there is nothing to undo; cli.main installs the
    real handler. Only for the `pipeline` script, never when imported by a
    program of its own.
    """
    import contextlib
    import os
    import signal
    import sys

    if sys.argv and os.path.basename(sys.argv[0]) == "pipeline":
        with contextlib.suppress(ValueError):  # not the main thread
            signal.signal(signal.SIGINT, lambda _signum, _frame: os._exit(130))


_quiet_interrupt_while_starting()
