"""Run one coroutine per item with a fixed number of workers and a progress bar.

A fixed pool (rather than one task per item) keeps memory flat for runs over
hundreds of thousands of latents; the client's semaphore still bounds requests.
"""

from __future__ import annotations

import asyncio
from typing import Awaitable, Callable, Sequence, TypeVar

from tqdm import tqdm

T = TypeVar("T")


async def run_pool(
    items: Sequence[T],
    worker: Callable[[T], Awaitable[None]],
    *,
    concurrency: int,
    desc: str,
    show_progress: bool = True,
) -> None:
    """Await `worker(item)` for every item, `concurrency` at a time; the first exception cancels the rest."""
    queue: asyncio.Queue[T] = asyncio.Queue()
    for item in items:
        queue.put_nowait(item)
    bar = tqdm(total=len(items), desc=desc, unit="item", disable=not show_progress)

    async def drain() -> None:
        while True:
            try:
                item = queue.get_nowait()
            except asyncio.QueueEmpty:
                return
            await worker(item)
            bar.update(1)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(max(1, min(concurrency, len(items)))):
                group.create_task(drain())
    except BaseExceptionGroup as failed:
        # Callers expect the worker's own exception, not the TaskGroup's wrapper.
        raise failed.exceptions[0] from None
    finally:
        bar.close()
