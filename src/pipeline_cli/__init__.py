"""pipeline: track a city's investment-attraction pipeline from the command line."""

__version__ = "0.1.0"


# Whether the console script paused Python's cyclic garbage collector while starting (see below).
gc_paused = False


def _starting() -> None:
    """The console script starting: a quiet Ctrl-C, and no garbage collection until the command runs.

    Only for the `pipeline` script, never when imported by a program of its
    own. The first thing the package does, with nothing imported that Python
    has not loaded already.

    Ctrl-C while still importing exits 130 at once, without a traceback:
    nothing is open yet, so there is nothing to undo; cli.main installs the
    real handler. (`_signal`, not `signal`, which builds enums for some
    milliseconds: before it, Ctrl-C meets Python's own start-up.)

    The collector is paused while Typer, Click and pipeline's modules load
    and the command is built: start-up makes tens of thousands of objects
    and no garbage cycles, and the collections they would trigger, each
    going over every object made so far, took 5 ms of a `pipeline list`.
    cli.command_starts resumes it, with what start-up made frozen (never
    scanned again), before the command's own work.
    """
    global gc_paused
    import os
    import sys

    if sys.argv and os.path.basename(sys.argv[0]) == "pipeline":
        import _signal  # type: ignore[import-not-found]
        import gc

        try:  # noqa: SIM105 (contextlib is not loaded yet: importing it costs the time this saves)
            _signal.signal(_signal.SIGINT, lambda _signum, _frame: os._exit(130))
        except ValueError:  # not the main thread
            pass
        if gc.isenabled():
            gc.disable()
            gc_paused = True


_starting()
