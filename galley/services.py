"""Long-lived helper processes (EPUBCheck, Ace, MathJax): started once, fed one line at a time.

Starting a JVM or a headless browser costs seconds; a build asks them many small things. A
`LineService` starts its process on first use (or early, to warm up), writes one request
line and reads one answer line under a lock (threads share it), restarts it if it died, and
closes its stdin at exit, which ends it: no helper outlives galley.
"""

from __future__ import annotations

import atexit
import subprocess
import tempfile
import threading
from collections.abc import Callable, Mapping
from typing import IO

from galley import limits


class LineService:
    """One helper process speaking a line-per-request protocol on stdin/stdout."""

    def __init__(
        self,
        command: Callable[[], list[str]],
        environment: Callable[[], Mapping[str, str]] | None = None,
        *,
        disposable: bool = False,
        seconds: float = limits.HELPER_SECONDS,
    ) -> None:
        self.command = command
        self.seconds = seconds
        self.environment = environment
        # a helper that keeps nothing (a JVM checker) is killed at exit rather than waited
        # for, so that a run ending early does not wait for a warm-up check it never needs
        self.disposable = disposable
        self.process: subprocess.Popen[str] | None = None
        self.errors: IO[bytes] | None = None
        self.lock = threading.Lock()
        atexit.register(self.stop)

    def start(self) -> bool:
        """Start the helper now, so that it warms up (a JVM, a browser) while galley reads
        and lays out; asking later finds it ready. Whether it was started now (False: it
        was already running, as for every rebuild of `serve`)."""
        with self.lock:
            if self.process is None or self.process.poll() is not None:
                self.process = self._start()
                return True
            return False

    def ask(self, request: str) -> str:
        """The helper's one-line answer to `request`; OSError (with what it printed on
        stderr) if it cannot answer."""
        with self.lock:
            process = self.process
            if process is None or process.poll() is not None:
                process = self.process = self._start()
            assert process.stdin is not None and process.stdout is not None
            # a helper that does not answer in time is stopped: its readline then ends
            fired = threading.Event()

            def stop_it() -> None:
                fired.set()
                process.kill()

            watchdog = threading.Timer(self.seconds, stop_it)
            watchdog.daemon = True
            watchdog.start()
            try:
                process.stdin.write(request.replace("\n", " ") + "\n")
                process.stdin.flush()
                answer = process.stdout.readline()
            except OSError:
                answer = ""
            finally:
                watchdog.cancel()
            if not answer:
                self.process = None
                if fired.is_set():
                    raise OSError(f"no answer within {self.seconds:.0f} s (stopped)")
                raise OSError(self.stderr() or "the helper process stopped")
            return answer.rstrip("\n")

    def _start(self) -> subprocess.Popen[str]:
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 (lives as long as the process)
        return subprocess.Popen(
            self.command(),
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            text=True,
            encoding="utf-8",
            env=dict(self.environment()) if self.environment else None,
        )

    def stderr(self) -> str:
        """The end of what the helper printed on stderr (why it failed)."""
        if self.errors is None:
            return ""
        self.errors.seek(0)
        return self.errors.read().decode("utf-8", "replace").strip()[-500:]

    def stop(self) -> None:
        if self.process is not None and self.disposable:
            self.process.kill()
            self.process.wait()
        elif self.process is not None and self.process.stdin is not None:
            self.process.stdin.close()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.process = None
