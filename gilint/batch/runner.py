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
import gc
import multiprocessing
import os
import signal
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
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


_YOUNG_COLLECTION = 10_000  # allocations between collections of young objects in a worker


def _serve(conn: Connection, linters: dict[Options, Linter] | None, stdin: bytes | None, budget: Budget):
    """A worker: check one file per message until told to stop (None) or orphaned."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # A report's objects mostly die by reference count when it is done; collecting young
    # objects every 700 allocations (Python's default) walked them a dozen times a report.
    # Every 10,000: the collector's time per report halves (4% of a report -> 2%; measured
    # with gc.callbacks), for a few MB more between collections.
    gc.set_threshold(_YOUNG_COLLECTION, *gc.get_threshold()[1:])
    own: dict[Options, Linter] = dict(linters or {})
    while True:
        _limit_memory(budget.memory_mb)  # afresh for each file: what the file may add
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
        # Whatever checking a file left in reference cycles is collected here, between files,
        # while it is fresh, not by a collection in the middle of a later file that also walks
        # that file's live objects. (A report's own prose, ~1,000 objects a bench report, was
        # such garbage until ``release_prose``; some readers' and renderers' data still is:
        # ~35 objects a file over the corpus with HTML output. Collecting between files took
        # /tmp/b600 in process from 3.95 to 3.6-3.75 s and the worker's peak RSS 48 -> 42 MB.)
        gc.collect(1)


def _describe(error: BaseException) -> str:
    text = " ".join(str(error).split())
    if len(text) > _MESSAGE_CHARS:
        text = text[:_MESSAGE_CHARS] + "…"
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


@dataclass
class _Worker:
    """A worker process, its pipe, and the jobs it holds."""

    process: multiprocessing.process.BaseProcess
    conn: Connection
    # The jobs sent to it, in order: the first is being checked, the next waits in
    # its pipe (so that it never idles while the parent is busy or not scheduled).
    indices: deque[int] = field(default_factory=deque)
    deadline: float = 0.0  # when the first job's time budget runs out

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

_QUEUED_PER_WORKER = 2


class Runner:
    def __init__(
        self,
        jobs: list[FileJob],
        budget: Budget,
        workers: int,
        stdin: bytes | None,
        linters: dict[Options, Linter] | None = None,
        while_waiting: Callable[[], None] | None = None,
    ):
        self.jobs = jobs
        self.while_waiting = while_waiting
        self.budget = budget
        self.workers = workers
        self.stdin = stdin
        self.context = _context()
        self.linters: dict[Options, Linter] = dict(linters or {})
        self.broken: dict[Options, str] = {}  # options whose rule packs do not load
        self.done: dict[int, FileResult] = {}
        self.queue: deque[int] = deque()  # jobs not sent to any worker yet
        self.pool: list[_Worker] = []

    # ------------------------------------------------------------- results

    def results(self) -> Iterator[FileResult]:
        self._load_linters()
        self.queue = deque(index for index, job in enumerate(self.jobs) if not self._refused(index, job))
        next_index = 0
        try:
            while next_index < len(self.jobs):
                self._dispatch()
                if self.while_waiting is not None:
                    self.while_waiting()
                    self.while_waiting = None
                while next_index in self.done:
                    yield self.done.pop(next_index)
                    next_index += 1
                if any(worker.indices for worker in self.pool):
                    self._collect()
        finally:
            for worker in self.pool:
                if worker.indices:
                    worker.kill()
                else:
                    worker.stop()
            gc.unfreeze()  # the parent's heap is the collector's again (check_files called in a loop)

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
        # What the worker inherits (the modules, the Linters: a large heap that lives as
        # long as the worker) leaves the collector's view (Python's gc docs: freeze right
        # before fork; it also keeps those pages shared). A full collection in the worker
        # then walks only what the worker made: 9 ms instead of 90 ms per 100 reports
        # (gc.callbacks). Undone when the batch ends (``results``).
        gc.freeze()
        process = self.context.Process(
            target=_serve, args=(child, inherited, self.stdin, self.budget), daemon=True
        )
        process.start()
        child.close()
        worker = _Worker(process, parent)
        self.pool.append(worker)
        return worker

    def _dispatch(self) -> None:
        """Give every worker (up to ``workers``) its jobs, one at a time round the pool."""
        while len(self.pool) < min(self.workers, len(self.queue) + self._busy()):
            self._start()
        for depth in range(1, _QUEUED_PER_WORKER + 1):
            for worker in list(self.pool):
                if self.queue and len(worker.indices) < depth:
                    self._send(worker, self.queue.popleft())

    def _busy(self) -> int:
        return sum(1 for worker in self.pool if worker.indices)

    def _send(self, worker: _Worker, index: int) -> None:
        job = self.jobs[index]
        try:
            worker.conn.send((index, job.path, job.options, job.data))
        except (OSError, ValueError):  # died while idle: its replacement takes the job
            self.queue.appendleft(index)
            self._retire(worker)
            return
        if not worker.indices:
            worker.deadline = time.monotonic() + self.budget.seconds
        worker.indices.append(index)

    def _retire(self, worker: _Worker) -> None:
        """Remove a worker; the jobs it had not started go back to the queue, in order."""
        worker.kill()
        self.pool.remove(worker)
        self.queue.extendleft(reversed(list(worker.indices)))
        worker.indices.clear()

    def _collect(self) -> None:
        """Wait until a worker answers, dies or overruns; settle each such one."""
        busy = [worker for worker in self.pool if worker.indices]
        timeout = max(0.0, min(worker.deadline for worker in busy) - time.monotonic())
        handles = [worker.conn for worker in busy] + [worker.process.sentinel for worker in busy]
        ready = set(wait(handles, timeout))
        for worker in busy:
            if worker.conn in ready or worker.process.sentinel in ready:
                self._receive(worker)
            elif time.monotonic() >= worker.deadline:
                index = worker.indices.popleft()
                self._retire(worker)
                self._fail(index, "time", time_exceeded(self.budget))

    def _receive(self, worker: _Worker) -> None:
        """Record every answer waiting in the worker's pipe; if the worker is gone,
        the job it was on fails with the reason and the rest go back to the queue."""
        alive = True
        while worker.indices and alive:
            try:
                if not worker.conn.poll():
                    break
                answer = worker.conn.recv()
            except (EOFError, OSError, MemoryError):
                break
            except Exception as error:  # an answer that cannot be unpickled
                answer = (worker.indices[0], "internal", _describe(error))
            alive = self._settle(worker.indices.popleft(), answer)
            worker.deadline = time.monotonic() + self.budget.seconds
        if not alive or (worker.indices and not worker.process.is_alive()):
            index = worker.indices.popleft() if alive else None
            worker.process.join()
            failure = self._death(worker) if index is not None else None
            self._retire(worker)
            if failure is not None:
                self._fail(index, *failure)

    def _settle(self, index: int, answer: tuple) -> bool:
        """Record one answer; False when the worker exits after it (out of memory)."""
        _, status, payload = answer
        if status == "ok":
            self.done[index] = FileResult(index, self.jobs[index], payload)
        elif status == "memory":
            self._fail(index, "memory", memory_exceeded(self.budget))
            return False
        elif status == "rules":
            self._fail(index, "rules", rules_error(payload), payload)
        else:
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
