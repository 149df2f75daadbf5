"""Exercise race_condition: lost updates and locks.

Goal: make `Account` safe to use from many threads at once (no deposit is ever lost, no withdrawal
can overdraw it, and an error never leaves it stuck), and make `settle` fetch the amounts of many
invoices in parallel, up to `workers` at a time, depositing each one into the account.

Read README.md for the full contract, then run `make check`.
"""


class InsufficientFunds(Exception):
    """A withdrawal asked for more than the balance."""


class Account:
    """A balance that many threads may deposit into and withdraw from at the same time."""

    def __init__(self, balance=0):
        self.balance = balance  # keep the balance in this attribute: the tests watch it
        # TODO: every thread that updates the balance must wait for the others: give the account
        # a lock (one lock per account, shared by all threads).

    def deposit(self, amount):
        """Add ``amount`` to the balance."""
        # TODO: `+=` reads, adds, then writes back; another thread may update the balance in
        # between, and one of the two deposits is lost. Make it one step for other threads.
        self.balance += amount

    def withdraw(self, amount):
        """Take ``amount`` from the balance; raise InsufficientFunds (changing nothing) if short."""
        # TODO: two threads can both pass this check before either of them subtracts. And if you
        # take a lock here, make sure it is released when InsufficientFunds is raised too.
        if amount > self.balance:
            raise InsufficientFunds(f"cannot withdraw {amount}: the balance is {self.balance}")
        self.balance -= amount


def settle(account, invoices, fetch_amount, *, workers=8):
    """Deposit into ``account`` the amount of every invoice, fetching up to ``workers`` at once."""
    # TODO: fetch_amount is slow I/O: one invoice after the other takes far too long. Run up to
    # `workers` of them at the same time (concurrent.futures has what you need), and deposit each
    # amount as it arrives. Hold no lock while fetching.
    for invoice in invoices:
        amount = fetch_amount(invoice)
        account.deposit(amount)
