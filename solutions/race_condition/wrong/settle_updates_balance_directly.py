"""settle adds to account.balance itself from the worker threads, bypassing deposit and its lock.

Caught by: test_settle_never_loses_a_deposit
"""

import threading
from concurrent.futures import ThreadPoolExecutor


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    """A balance that many threads may deposit into and withdraw from at the same time."""

    def __init__(self, balance=0):
        self.balance = balance
        # One lock per account, created once: every thread must contend for the *same* lock. A
        # lock created inside a method is new at every call, so nobody ever waits for it.
        self._lock = threading.Lock()

    def deposit(self, amount):
        """Add ``amount`` to the balance."""
        # `+=` reads the balance, adds, and writes it back: another thread may write in between,
        # and one of the two updates is then lost. The lock makes the three steps one.
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        """Take ``amount`` from the balance; raise InsufficientFunds (changing nothing) if short."""
        # The check and the update belong to the same critical section: checked outside the lock,
        # another withdrawal could pass the same check before either updates, and overdraw.
        # `with` releases the lock on every way out, the raise included; a bare acquire() ...
        # release() would leave it locked, and the next deposit would wait forever.
        with self._lock:
            if amount > self.balance:
                raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
            self.balance -= amount


def settle(account, invoices, fetch_amount, *, workers=8):
    def settle_one(invoice):
        amount = fetch_amount(invoice)
        account.balance += amount  # the account's lock is never taken here

    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(settle_one, invoices))
