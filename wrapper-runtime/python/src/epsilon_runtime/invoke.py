"""Running a handler: a watchdog thread for the timeouts of all calls (one thread, not one per call), and an asyncio
loop for async handlers (one loop for the process, started only when needed, so module-level async clients keep
working between calls)."""

import heapq
import threading
import time

from . import logs


class Watchdog:
    """Calls callback() at a deadline (time.monotonic()) unless cancelled first."""

    def __init__(self):
        self._heap = []
        self._sequence = 0
        self._condition = threading.Condition()
        self._thread = None

    def add(self, deadline, callback):
        entry = [deadline, 0, callback, False]
        with self._condition:
            self._sequence += 1
            entry[1] = self._sequence
            heapq.heappush(self._heap, entry)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="epsilon-watchdog", daemon=True)
                self._thread.start()
            elif self._heap[0] is entry:
                self._condition.notify()
        return entry

    @staticmethod
    def cancel(entry):
        entry[3] = True

    def _run(self):
        while True:
            with self._condition:
                while True:
                    while self._heap and self._heap[0][3]:
                        heapq.heappop(self._heap)
                    if not self._heap:
                        self._condition.wait()
                        continue
                    wait = self._heap[0][0] - time.monotonic()
                    if wait <= 0:
                        entry = heapq.heappop(self._heap)
                        break
                    self._condition.wait(wait)
            if entry[3]:
                continue
            entry[3] = True
            try:
                entry[2]()
            except Exception as exc:  # pylint: disable=broad-except
                logs.error("epsilon: timeout handling failed: %r" % (exc,))


class AsyncRunner:
    """One asyncio event loop in its own thread for the awaitables handlers return."""

    def __init__(self):
        self._loop = None
        self._lock = threading.Lock()

    def start(self):
        with self._lock:
            if self._loop is None:
                import asyncio
                loop = asyncio.new_event_loop()
                ready = threading.Event()

                def run():
                    asyncio.set_event_loop(loop)
                    loop.call_soon(ready.set)
                    loop.run_forever()

                threading.Thread(target=run, name="epsilon-asyncio", daemon=True).start()
                ready.wait()
                self._loop = loop
        return self._loop

    def submit(self, awaitable, request_id):
        """A concurrent.futures.Future of the awaitable's result, run with the call's request id."""
        import asyncio
        loop = self.start()

        async def call():
            logs.request_id.set(request_id)  # the task's own context: other calls are not affected
            return await awaitable

        return asyncio.run_coroutine_threadsafe(call(), loop)

    def cancel(self, future):
        if self._loop is not None:
            self._loop.call_soon_threadsafe(future.cancel)


def is_awaitable(value):
    return hasattr(type(value), "__await__")
