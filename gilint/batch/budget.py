"""The per-file budgets and what a file that exceeds one is told (GI001)."""

from __future__ import annotations

from dataclasses import dataclass

# A real report is checked in about a second in under 100 MB; the budgets leave room
# for 20 MB files and slow machines while stopping a hostile file early.
DEFAULT_SECONDS = 30.0
DEFAULT_MEMORY_MB = 1024


@dataclass(frozen=True)
class Budget:
    """What checking one file may take before it is stopped."""

    seconds: float = DEFAULT_SECONDS  # wall-clock time per file
    memory_mb: int = DEFAULT_MEMORY_MB  # address space checking one file may add (Linux)


def time_exceeded(budget: Budget) -> tuple[str, str]:
    seconds = f"{budget.seconds:g}"
    return (
        f"检查超过每个文件的时间预算 {seconds} 秒，已停止"
        "（文件可能构造异常；可用 --timeout 或配置项 timeout 调整）",
        f"checking took longer than the time budget of {seconds} s per file and was stopped "
        "(the file may be malformed; change it with --timeout or the timeout key)",
    )


def memory_exceeded(budget: Budget, detail: str = "") -> tuple[str, str]:
    note = f"（{detail}）" if detail else ""
    note_en = f" ({detail})" if detail else ""
    return (
        f"检查需要的内存超过每个文件的内存预算 {budget.memory_mb} MB，已停止{note}"
        "（可用 --max-memory 或配置项 max-memory 调整）",
        f"checking needed more than the memory budget of {budget.memory_mb} MB per file and was "
        f"stopped{note_en} (change it with --max-memory or the max-memory key)",
    )


def internal_error(kind: str, detail: str) -> tuple[str, str]:
    return (
        f"内部错误（{kind}）：{detail}；此文件未能检查，请报告此问题",
        f"internal error ({kind}): {detail}; the file was not checked, please report this",
    )


def rules_error(detail: str) -> tuple[str, str]:
    return (
        f"规则包或配置错误：{detail}；此文件未能检查",
        f"rule pack or configuration error: {detail}; the file was not checked",
    )
