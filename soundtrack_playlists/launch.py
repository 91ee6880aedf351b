"""The command's entry point: Ctrl-C while the modules load exits 130 too, never a traceback."""

# Nothing heavy is imported at the top: until the command line is loaded, only the handler
# below stands between a Ctrl-C and Python's KeyboardInterrupt traceback.
import sys

INTERRUPTED = 130  # the shell's code for a process ended by SIGINT


def main() -> None:
    """Load the command line and run it; a Ctrl-C at any moment exits 130 with one line."""
    try:
        from soundtrack_playlists.cli import main as run

        run()
    except KeyboardInterrupt:
        _interrupted()


def _interrupted() -> None:
    try:
        import signal

        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C can't cut this short
        sys.stderr.write("\nInterrupted.\n")
        sys.stderr.flush()
    except (KeyboardInterrupt, OSError, ValueError):
        pass
    raise SystemExit(INTERRUPTED)
