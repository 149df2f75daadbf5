"""withdraw checks the balance before taking the lock (check-then-act): two withdrawals can overdraw.

Caught by: test_two_withdrawals_at_once_cannot_overdraw
"""

import threading
from concurrent.futures import ThreadPoolExecutor


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    def __init__(self, balance=0):
        self.balance = balance
        self._lock = threading.Lock()

    def deposit(self, amount):
        with self._lock:
            self.balance += amount

    def withdraw(self, amount):
        if amount > self.balance:  # checked without the lock: stale as soon as it is made
            raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
        with self._lock:
            self.balance -= amount


def settle(account, invoices, fetch_amount, *, workers=8):
    """Deposit into ``account`` the amount of every invoice, fetching up to ``workers`` at once."""

    def settle_one(invoice):
        # The slow part runs with no lock held, so the fetches overlap; only the deposit (a few
        # microseconds) is serialised, inside Account.deposit.
        amount = fetch_amount(invoice)
        account.deposit(amount)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        # list() drains the results, so an exception raised in a worker is raised here too.
        list(pool.map(settle_one, invoices))
