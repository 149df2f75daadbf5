"""acquire() and release() without try/finally: raising InsufficientFunds leaves the lock held.

Caught by: test_failed_withdrawal_releases_the_lock
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
        self._lock.acquire()
        self.balance += amount
        self._lock.release()

    def withdraw(self, amount):
        self._lock.acquire()
        if amount > self.balance:
            raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
        self.balance -= amount
        self._lock.release()  # never reached when the raise above happens


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
