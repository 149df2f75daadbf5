"""Public tests for race_condition: run them with `make check`.

These are plain (not async) tests: your code runs in real threads. A race left to chance is rare
(and rarer on recent Pythons), so the second test does not wait for luck: it gives the account a
`balance` property whose first write waits until another thread has read the balance. That makes
a lost update *certain* whenever two threads can read the balance before either writes it back,
and costs a correct solution one short wait. The hidden tests check withdrawals, errors and
`settle` the same way.
"""

import threading

import pytest

pytestmark = pytest.mark.exercise("race_condition")


@pytest.mark.points(1)
def test_deposit_and_withdraw_update_the_balance(student):
    account = student.Account(100)
    account.deposit(50)
    account.withdraw(30)
    assert account.balance == 120, f"100 + 50 - 30 should leave 120, not {account.balance}"
    account.withdraw(120)  # exactly the balance is allowed
    assert account.balance == 0, f"withdrawing all 120 should leave 0, not {account.balance}"
    account.deposit(70)
    with pytest.raises(student.InsufficientFunds):
        account.withdraw(500)  # more than the balance: refused
    assert account.balance == 70, (
        f"a refused withdrawal must leave the balance unchanged (70), but it is now {account.balance}"
    )


class RaceWindow:
    """Where a test account keeps its balance: the first write, once armed, waits (up to 2 s) until
    another thread has read the balance since this thread last read it.

    That is the worst moment for a thread switch, made certain instead of left to luck: without a
    lock the other thread reads the old balance and one update is lost. With a lock the other
    thread cannot get in, the wait runs out, and the write goes ahead.
    """

    def __init__(self):
        self.cond = threading.Condition()
        self.value = None
        self.readers = []  # the thread of every read, in order
        self.armed = False

    def read(self):
        with self.cond:
            self.readers.append(threading.get_ident())
            self.cond.notify_all()
            return self.value

    def write(self, value):
        with self.cond:
            if self.armed:
                self.armed = False
                me = threading.get_ident()
                mine = max((i for i, t in enumerate(self.readers) if t == me), default=-1)
                self.cond.wait_for(lambda: any(t != me for t in self.readers[mine + 1 :]), timeout=2)
            self.value = value


@pytest.mark.points(1)
def test_two_threads_depositing_at_once_lose_nothing(student):
    window = RaceWindow()

    class WindowAccount(student.Account):
        @property
        def balance(self):
            return window.read()

        @balance.setter
        def balance(self, value):
            window.write(value)

    account = WindowAccount(100)
    window.armed = True
    start = threading.Barrier(2)

    def deposit(amount):
        start.wait(timeout=10)  # both threads start together
        account.deposit(amount)

    threads = [threading.Thread(target=deposit, args=(amount,)) for amount in (10, 20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=10)
    assert window.value == 130, (
        f"two threads deposited 10 and 20 at once into an account holding 100; the balance should "
        f"be 130 but it is {window.value}: one deposit was lost. `self.balance += amount` reads, "
        f"adds and writes back, and the other thread read the old balance in between. Hold one "
        f"lock, created in __init__, around the whole update"
    )


@pytest.mark.points(1)
def test_settle_deposits_every_invoice(student):
    amounts = {"INV-1": 120, "INV-2": 80, "INV-3": 45, "INV-4": 5}

    def fetch_amount(invoice):  # in real life: a slow request to the billing service
        return amounts[invoice]

    account = student.Account(1000)
    student.settle(account, list(amounts), fetch_amount)
    assert account.balance == 1250, (
        f"1000 plus invoices of 120, 80, 45 and 5 should make 1250, not {account.balance}"
    )
