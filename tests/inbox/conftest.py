import pytest
from django.db import connection

DEFERRED_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend", "QUEUES": ["default"]}
}


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run what a block enqueues on commit (with the immediate backend: the tasks themselves)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def run_on_commit_now() -> None:
    """In a `db` test the outer transaction never commits: run what waits for it (as a worker's
    own transactions would commit)."""
    while connection.run_on_commit:
        callbacks = list(connection.run_on_commit)
        connection.run_on_commit[:] = []
        for _, callback, _ in callbacks:
            callback()


class Queue:
    """Tasks held by the dummy backend instead of run: `run()` works them off in order, as a
    worker would, with those they enqueue."""

    def __init__(self, backend):
        self.backend = backend

    @property
    def tasks(self) -> list:
        return list(self.backend.results)

    def names(self) -> list[str]:
        return [result.task.name for result in self.backend.results]

    def mine(self) -> list:
        """The inbox's own waiting tasks (other apps enqueue theirs too)."""
        return [r for r in self.backend.results if r.task.module_path.startswith("ficshelf.inbox")]

    def run_one(self, name: str):
        """Run the first waiting task called `name`, and only it."""
        result = next(r for r in self.backend.results if r.task.name == name)
        self.backend.results.remove(result)
        returned = result.task.call(*result.args, **result.kwargs)
        run_on_commit_now()
        return returned

    def run(self) -> int:
        ran = 0
        while self.backend.results:
            result = self.backend.results.pop(0)
            result.task.call(*result.args, **result.kwargs)
            run_on_commit_now()
            ran += 1
        return ran


@pytest.fixture
def held_tasks(settings):
    """Tasks wait in a queue until the test runs them (`.run()`)."""
    settings.TASKS = DEFERRED_TASKS
    from django_tasks import task_backends

    return Queue(task_backends["default"])
