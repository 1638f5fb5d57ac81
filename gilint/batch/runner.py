"""The worker processes behind ``check_files`` and the watchdog over them.

Not ``multiprocessing.Pool``: its ``imap`` waits forever for the result of a worker
the system killed, and ``concurrent.futures.ProcessPoolExecutor`` breaks the whole
pool when one worker dies. Here each worker is a process with a pipe; the parent
sends it one file at a time, waits on every pipe and every process sentinel with
the earliest deadline as timeout, kills a worker whose file overran its time
budget, and starts a new worker in place of one that died.

The Linters (rule packs loaded and validated) are built once in the parent; with
the ``fork`` start method every worker inherits them, so a worker starts in
milliseconds. Where ``fork`` is missing (``spawn``), a worker builds its own.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait

from gilint.batch.budget import Budget, internal_error, memory_exceeded, rules_error, time_exceeded
from gilint.batch.jobs import FileJob, FileResult
from gilint.pipeline import Linter, Options
from gilint.read.base import LoadError
from gilint.structure.knowledge import KnowledgeError

MIB = 1024 * 1024
_EXIT_MEMORY = 3  # a worker that ran out of memory exits with this after reporting it
_MESSAGE_CHARS = 300  # an exception's message is cut to this in the diagnostic
_STOP_GRACE = 2.0  # seconds an idle worker has to exit before it is killed


def _context():
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


# ------------------------------------------------------------------ worker


def _address_space() -> int | None:
    """This process's current virtual size in bytes (Linux), else None."""
    try:
        with open("/proc/self/statm", encoding="ascii") as handle:
            pages = int(handle.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pages * os.sysconf("SC_PAGE_SIZE")


def _limit_memory(memory_mb: int) -> None:
    """Let checking a file add at most ``memory_mb`` to the worker's address space:
    past it an allocation fails (MemoryError) instead of the machine swapping."""
    try:
        import resource
    except ImportError:  # not POSIX: no limit
        return
    current = _address_space()
    if current is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = current + memory_mb * MIB
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _serve(conn: Connection, linters: dict[Options, Linter] | None, stdin: bytes | None, budget: Budget):
    """A worker: check one file per message until told to stop (None) or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    own: dict[Options, Linter] = dict(linters or {})
    _limit_memory(budget.memory_mb)
    while True:
        try:
            message = conn.recv()
        except (EOFError, OSError):
            return
        if message is None:
            return
        index, path, options, data = message
        try:
            linter = own.get(options) or own.setdefault(options, Linter(options))
            reports = linter.check_path(path, stdin) if data is None else linter.check_bytes(path, data)
            conn.send((index, "ok", reports))
        except MemoryError:
            own.clear()
            with contextlib.suppress(Exception):
                conn.send((index, "memory", ""))
            os._exit(_EXIT_MEMORY)  # the heap may be in any state: start afresh
        except KnowledgeError as error:  # a lexicon or pack read only now
            conn.send((index, "rules", str(error)))
        except Exception as error:  # a bug: this file fails, the batch goes on
            conn.send((index, "internal", _describe(error)))


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if len(text) > _MESSAGE_CHARS:
        text = text[:_MESSAGE_CHARS] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass
class _Worker:
    process: multiprocessing.process.BaseProcess
    conn: Connection
    index: int | None = None  # the job it is checking
    deadline: float = 0.0

    def stop(self, grace: float = _STOP_GRACE) -> None:
        with contextlib.suppress(OSError, ValueError, BrokenPipeError):
            self.conn.send(None)
        self.process.join(grace)
        self.kill()

    def kill(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join()
        self.conn.close()


# ------------------------------------------------------------------ parent


class Runner:
    def __init__(
        self,
        jobs: list[FileJob],
        budget: Budget,
        workers: int,
        stdin: bytes | None,
        linters: dict[Options, Linter] | None = None,
    ):
        self.jobs = jobs
        self.budget = budget
        self.workers = workers
        self.stdin = stdin
        self.context = _context()
        self.linters: dict[Options, Linter] = dict(linters or {})
        self.broken: dict[Options, str] = {}  # options whose rule packs do not load
        self.done: dict[int, FileResult] = {}

    # ------------------------------------------------------------- results

    def results(self) -> Iterator[FileResult]:
        self._load_linters()
        queue = deque(index for index, job in enumerate(self.jobs) if not self._refused(index, job))
        idle: list[_Worker] = []
        running: list[_Worker] = []
        next_index = 0
        try:
            while next_index < len(self.jobs):
                while queue and len(running) < self.workers:
                    running.append(self._dispatch(idle.pop() if idle else self._start(), queue.popleft()))
                while next_index in self.done:
                    yield self.done.pop(next_index)
                    next_index += 1
                if running:
                    self._collect(running, idle)
        finally:
            for worker in running:
                worker.kill()
            for worker in idle:
                worker.stop()

    def _load_linters(self) -> None:
        for options in dict.fromkeys(job.options for job in self.jobs if job.refused is None):
            if options in self.linters:
                continue
            try:
                self.linters[options] = Linter(options)
            except (KnowledgeError, RecursionError, UnicodeDecodeError, OSError) as error:
                self.broken[options] = str(error) if isinstance(error, KnowledgeError) else _describe(error)

    def _refused(self, index: int, job: FileJob) -> bool:
        detail = job.refused or self.broken.get(job.options)
        if detail is None:
            return False
        self._fail(index, "rules", rules_error(detail), detail)
        return True

    # ------------------------------------------------------------- workers

    def _start(self) -> _Worker:
        parent, child = self.context.Pipe()
        inherited = self.linters if self.context.get_start_method() == "fork" else None
        process = self.context.Process(
            target=_serve, args=(child, inherited, self.stdin, self.budget), daemon=True
        )
        process.start()
        child.close()
        return _Worker(process, parent)

    def _dispatch(self, worker: _Worker, index: int) -> _Worker:
        job = self.jobs[index]
        worker.index = index
        worker.deadline = time.monotonic() + self.budget.seconds
        try:
            worker.conn.send((index, job.path, job.options, job.data))
        except (OSError, ValueError):  # died while idle: its replacement takes the file
            worker.kill()
            return self._dispatch(self._start(), index)
        return worker

    def _collect(self, running: list[_Worker], idle: list[_Worker]) -> None:
        """Wait until a worker answers, dies or overruns; settle each such one."""
        timeout = max(0.0, min(worker.deadline for worker in running) - time.monotonic())
        handles = [worker.conn for worker in running] + [worker.process.sentinel for worker in running]
        ready = set(wait(handles, timeout))
        now = time.monotonic()
        for worker in list(running):
            if worker.conn in ready or worker.process.sentinel in ready:
                running.remove(worker)
                if self._receive(worker):
                    idle.append(worker)
            elif now >= worker.deadline:
                running.remove(worker)
                worker.kill()
                self._fail(worker.index, "time", time_exceeded(self.budget))

    def _receive(self, worker: _Worker) -> bool:
        """Record the worker's answer; False when the worker is gone."""
        index = worker.index
        try:
            answer = worker.conn.recv() if worker.conn.poll() else None
        except (EOFError, OSError, MemoryError):
            answer = None
        except Exception as error:  # an answer that cannot be unpickled
            answer = (index, "internal", _describe(error))
        if answer is None:
            worker.kill()
            self._fail(index, *self._death(worker))
            return False
        _, status, payload = answer
        if status == "ok":
            self.done[index] = FileResult(index, self.jobs[index], payload)
            return True
        if status == "memory":
            worker.kill()
            self._fail(index, "memory", memory_exceeded(self.budget))
            return False
        if status == "rules":
            self._fail(index, "rules", rules_error(payload), payload)
            return True
        kind, _, detail = payload.partition(": ")
        self._fail(index, "internal", internal_error(kind, detail or kind), payload)
        return True

    def _death(self, worker: _Worker) -> tuple[str, tuple[str, str]]:
        code = worker.process.exitcode
        if code == _EXIT_MEMORY:
            return "memory", memory_exceeded(self.budget)
        if code is not None and code < 0:
            name = _signal_name(-code)
            if -code == signal.SIGKILL:  # the system's out-of-memory killer, most likely
                return "memory", memory_exceeded(self.budget, f"killed by the system with {name}")
            return "memory", memory_exceeded(self.budget, f"the checking process stopped with {name}")
        return "internal", internal_error("WorkerExit", f"the checking process exited with code {code}")

    def _fail(self, index: int, failure: str, message: tuple[str, str], detail: str = "") -> None:
        job = self.jobs[index]
        error = LoadError("GI001", *message)
        linter = self.linters.get(job.options) if job.refused is None else None
        reports = [linter.unreadable(job.path, error)] if linter else [_plain_failure(job, error)]
        self.done[index] = FileResult(index, job, reports, failure, detail or message[1])


def _signal_name(number: int) -> str:
    try:
        return signal.Signals(number).name
    except ValueError:
        return f"signal {number}"


def _plain_failure(job: FileJob, error: LoadError):
    """A GI001 result for a file whose rule packs did not load (no Linter to ask)."""
    from gilint.checks.engine import CodeFilter, input_diagnostic
    from gilint.model import CheckedReport

    allowed = CodeFilter(job.options.select, job.options.ignore).allows(error.code)
    diagnostics = [input_diagnostic(job.path, error.code, error.message)] if allowed else []
    return CheckedReport(job.path, 0, 1, None, None, None, "unknown", diagnostics)
