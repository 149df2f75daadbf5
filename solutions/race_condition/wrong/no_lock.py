"""No lock at all: `self.balance += amount` is "one line", so it looks atomic, but it is not.

Caught by: test_two_threads_depositing_at_once_lose_nothing, test_two_deposits_at_once_are_both_kept, test_settle_never_loses_a_deposit, test_many_threads_many_rounds_keep_exact_totals, test_two_withdrawals_at_once_cannot_overdraw
"""

from concurrent.futures import ThreadPoolExecutor


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    def __init__(self, balance=0):
        self.balance = balance

    def deposit(self, amount):
        self.balance += amount  # LOAD, ADD, STORE: another thread can store in between

    def withdraw(self, amount):
        if amount > self.balance:
            raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
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
