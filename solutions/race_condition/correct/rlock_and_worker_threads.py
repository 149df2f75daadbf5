"""An RLock (withdraw reuses a locked helper), and settle with `workers` threads draining a queue.

Account: a reentrant lock, so that withdraw can call `_available` (which takes the lock too) while
already holding it; a plain Lock would deadlock there. settle: starts its own worker threads, each
taking invoices from a queue.Queue until it is empty; the first error of a worker is re-raised.
"""

import queue
import threading


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    """A balance that many threads may deposit into and withdraw from at the same time."""

    def __init__(self, balance=0):
        self._lock = threading.RLock()
        self.balance = balance

    def _available(self, amount):
        with self._lock:  # re-entered from withdraw: an RLock lets the owning thread in again
            return amount <= self.balance

    def deposit(self, amount):
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        with self._lock:  # the check and the update under one (outer) acquisition
            if not self._available(amount):
                raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
            self.balance -= amount


def settle(account, invoices, fetch_amount, *, workers=8):
    """Deposit into ``account`` the amount of every invoice, fetching up to ``workers`` at once."""
    todo = queue.Queue()
    for invoice in invoices:
        todo.put(invoice)
    errors = []

    def worker():
        while True:
            try:
                invoice = todo.get_nowait()
            except queue.Empty:
                return
            try:
                account.deposit(fetch_amount(invoice))  # fetch outside any lock; deposit locks
            except Exception as exc:
                errors.append(exc)
                return

    threads = [threading.Thread(target=worker) for _ in range(min(workers, todo.qsize()))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
