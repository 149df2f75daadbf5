"""A `synchronized` method decorator holds the account's lock; settle's threads share one iterator.

Account: each public method runs entirely under the instance's lock, taken by the decorator (the
Java-style "synchronized method"). settle: `workers` threads take the next invoice from a shared
iterator under a small lock of their own (iterators are not thread-safe), fetch it without any
lock, and deposit it.
"""

import functools
import threading


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


def synchronized(method):
    """Run ``method`` with ``self._lock`` held."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._lock:
            return method(self, *args, **kwargs)

    return locked


class Account:
    """A balance that many threads may deposit into and withdraw from at the same time."""

    def __init__(self, balance=0):
        self._lock = threading.Lock()
        self.balance = balance

    @synchronized
    def deposit(self, amount):
        self.balance += amount

    @synchronized
    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
        self.balance -= amount


def settle(account, invoices, fetch_amount, *, workers=8):
    """Deposit into ``account`` the amount of every invoice, fetching up to ``workers`` at once."""
    invoices = list(invoices)
    pending = iter(invoices)
    take = threading.Lock()
    errors = []

    def worker():
        while not errors:
            with take:  # only the hand-out of the next invoice is serialised
                invoice = next(pending, None)
            if invoice is None:
                return
            try:
                amount = fetch_amount(invoice)
                account.deposit(amount)
            except Exception as exc:
                errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(min(workers, len(invoices)))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
