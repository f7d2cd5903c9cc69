"""The operating system's limits on a run's own process (RUN_ISOLATION=process).

The worker computes them from the run's budget (app/engine/budget.py) and its settings
(:func:`for_run`); the child applies them to itself before the run opens anything (:func:`apply`);
when the child ends, the worker turns how it ended into the reason the page is told
(:func:`why_ended`), naming the limit.

- niceness RUN_NICE (the kernel gives the web worker, which serves every page, the CPU first)
- RLIMIT_DATA: the run's byte budget + RUN_MEMORY_MARGIN (the interpreter, libraries and the
  engine's own objects; measured, docs/performance.md). Since Linux 4.7 it counts every private
  writable mapping (heap, malloc arenas, thread stacks), not only brk
- RLIMIT_NOFILE: the run's fd budget + FD_MARGIN (the interpreter, the channel's context)
- RLIMIT_CPU: RUN_CPU_SECONDS of CPU time, a backstop (SIGXCPU, then SIGKILL 5 s later)
- SCHED_IDLE once the run has used more than RUN_HEAVY_CPU of a core or sent more than
  RUN_HEAVY_RATE messages a second, over a tenth of a second (:func:`demote`): a flat-out run
  then gets only the CPU nobody else wants, and a quiet run (nice RUN_NICE, as every run is
  until found heavy) is scheduled before it whenever it has work. Its page is then sent at most
  RUN_HEAVY_TRACE_RATE of its messages a second (relaying them is the worker's work). Niceness
  alone was not enough: 24 flat-out runs at the same niceness as 50 quiet ones held the quiet
  ones' events for seconds (docs/performance.md, "Isolation")
- the child dies with the worker: PR_SET_PDEATHSIG (SIGKILL)
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal

FD_MARGIN = 64  # the interpreter's own fds (stdio, pipes, the channel's context and epoll)
EXIT_MEMORY = 3  # the child's exit status when Python ran out of memory under RLIMIT_DATA
EXIT_ORPHAN = 4  # the worker was gone before the child could ask to die with it
CPU_GRACE = 5  # s between SIGXCPU (the soft limit) and SIGKILL (the hard one)
PR_SET_PDEATHSIG = 1


def for_run(cost, config) -> dict:
    """The limits of one run's process: ``cost`` is its budget (budget.run_cost)."""
    margin = int(config.get("RUN_MEMORY_MARGIN", 256 * 1024 * 1024))
    cpu = float(config.get("RUN_CPU_SECONDS") or 0) or float(config.get("MAX_RUN_SECONDS") or 900.0)
    return {
        "nice": int(config.get("RUN_NICE", 10)),
        "data": max(0, int(cost.bytes) + margin),
        "nofile": int(cost.fds) + FD_MARGIN,
        "cpu": max(1, int(cpu)),
        "heavy_cpu": float(config.get("RUN_HEAVY_CPU", 0.2)),
        "heavy_rate": float(config.get("RUN_HEAVY_RATE", 1000.0)),
        "heavy_trace_rate": float(config.get("RUN_HEAVY_TRACE_RATE", 50.0)),
    }


def die_with_parent(parent: int) -> None:
    """Get SIGKILL when the worker that started this process dies (even by kill -9)."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:  # it died before the line above: nobody would stop us
        os._exit(EXIT_ORPHAN)


def lower_priority(nice: int) -> None:
    """Be ``nice`` nicer than the worker (first thing: threads made later inherit it)."""
    if nice > 0:
        os.nice(nice)


def demote() -> None:
    """Every thread of this process (the run's hub, libzmq's I/O threads) to SCHED_IDLE: it runs
    only when no other process wants the CPU. For good (an unprivileged process may not always
    come back)."""
    param = os.sched_param(0)
    for tid in os.listdir("/proc/self/task"):
        try:
            os.sched_setscheduler(int(tid), os.SCHED_IDLE, param)
        except (OSError, ValueError):
            pass


def apply(limits: dict) -> None:
    """Set this process's rlimits (the child, before the run starts)."""
    _lower(resource.RLIMIT_NOFILE, int(limits["nofile"]))
    _lower(resource.RLIMIT_DATA, int(limits["data"]))
    cpu = int(limits["cpu"])
    _lower(resource.RLIMIT_CPU, cpu, cpu + CPU_GRACE)


def _lower(which: int, soft: int, hard: int | None = None) -> None:
    """Set a limit, never above the hard limit this process already has."""
    _, old_hard = resource.getrlimit(which)
    hard = soft if hard is None else hard
    if old_hard != resource.RLIM_INFINITY:
        hard = min(hard, old_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def cpu_of(pid: int) -> float:
    """User + system CPU seconds of process ``pid`` (0 when it cannot be read)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, IndexError, ValueError):
        return 0.0


def cpu_reason(seconds) -> str:
    """Why a run stopped at its CPU time limit."""
    return (
        f"cpu limit: the run's process used its {seconds} s of CPU time "
        "(RLIMIT_CPU, RUN_CPU_SECONDS)"
    )


def memory_reason(limits: dict) -> str:
    """Why a run stopped (or could not start) at its memory limit."""
    return (
        f"memory limit: the run's process went over its {limits.get('data', 0) / 1048576:.0f} MB "
        "(RLIMIT_DATA: its budget from MAX_RUNS_BYTES + RUN_MEMORY_MARGIN)"
    )


def why_ended(status: int | None, cpu_used: float, limits: dict) -> str:
    """What the page is told when the run's process ended without being asked to.

    ``status``: as os.waitstatus_to_exitcode gives it (negative: the signal that killed it);
    ``cpu_used``: its user + system seconds (os.wait4)."""
    mb = limits.get("data", 0) / 1048576
    if status is None:
        return "the run's process ended; how is unknown (another waiter took its exit status)"
    if status == EXIT_MEMORY:
        return memory_reason(limits)
    cpu = limits.get("cpu", 0)
    if status in (-signal.SIGXCPU, -signal.SIGKILL) and cpu and cpu_used >= cpu - 0.05:
        return cpu_reason(cpu)
    if status < 0:
        name = signal.Signals(-status).name
        if -status == signal.SIGABRT:
            return (
                f"the run's process aborted ({name}); libzmq aborts when it cannot allocate "
                f"memory, and this run may use {mb:.0f} MB (RLIMIT_DATA, RUN_MEMORY_MARGIN)"
            )
        return f"the run's process was killed ({name})"
    return f"the run's process ended unexpectedly (exit status {status})"
