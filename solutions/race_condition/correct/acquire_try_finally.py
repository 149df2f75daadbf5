"""acquire()/try/finally around each critical section; settle deposits in the caller as fetches finish.

Account: the lock is released in `finally`, so the InsufficientFunds raise cannot leave it held.
settle: the pool only fetches; the calling thread deposits each amount as its future completes
(as_completed), so deposits happen in one thread while the fetches overlap in the pool.
"""

import threading
from concurrent.futures import ThreadPoolExecutor, as_completed


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    """A balance that many threads may deposit into and withdraw from at the same time."""

    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def deposit(self, amount):
        self._lock.acquire()
        try:
            self.balance += amount
        finally:
            self._lock.release()

    def withdraw(self, amount):
        self._lock.acquire()
        try:
            if amount > self.balance:
                raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
            self.balance -= amount
        finally:
            self._lock.release()  # runs on the raise too


def settle(account, invoices, fetch_amount, *, workers=8):
    """Deposit into ``account`` the amount of every invoice, fetching up to ``workers`` at once."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(fetch_amount, invoice) for invoice in invoices]
        for future in as_completed(futures):
            account.deposit(future.result())
