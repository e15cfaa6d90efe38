"""Real services on loopback for the production-path tests: an SMTP sink (aiosmtpd), an S3 server
(moto's server mode), Redis (the machine's own, one database of it) and Celery workers."""

import email
import os
import socket
import subprocess
import sys
import time
import uuid
from email import policy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# One Redis database for these tests; keys carry a prefix of their own per run besides.
TEST_REDIS_URL = os.environ.get("CEDS_TEST_REDIS_URL", "redis://127.0.0.1:6379/8")
TEST_BROKER_URL = os.environ.get("CEDS_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    """What the SMTP server received: (envelope recipients, parsed message) per message."""

    def __init__(self):
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=policy.default))
        )
        return "250 OK"

    def wait_for(self, count: int, seconds: float = 10) -> list:
        deadline = time.monotonic() + seconds
        while len(self.messages) < count and time.monotonic() < deadline:
            time.sleep(0.02)
        return self.messages


@pytest.fixture
def smtp_sink(settings):
    """A real SMTP server on loopback; Django sends through its SMTP backend to it."""
    from aiosmtpd.controller import Controller

    sink = Sink()
    controller = Controller(sink, hostname="127.0.0.1", port=free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield sink
    controller.stop()


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on loopback (its server mode, threaded in this process): the endpoint URL."""
    from moto.server import ThreadedMotoServer

    os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
    os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
    port = free_port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    yield f"http://127.0.0.1:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_server, settings, monkeypatch):
    """A fresh bucket, with STORAGES pointed at it as CEDS_STORAGE_URL would."""
    import boto3

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    name = f"ceds-{uuid.uuid4().hex[:12]}"
    client = boto3.client("s3", endpoint_url=s3_server, region_name="us-east-1")
    client.create_bucket(Bucket=name)
    options = {"endpoint_url": s3_server, "region_name": "us-east-1"}
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3_options(name, "media"), **options}},
        "backups": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {**s3_options(name, "backups"), **options}},
    }
    return client, name


def s3_options(bucket_name: str, location: str) -> dict:
    """The options settings.py derives from CEDS_STORAGE_URL (checked against it in the tests)."""
    return {
        "bucket_name": bucket_name,
        "location": f"site/{location}",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
    }


def child_env(**extra) -> dict:
    env = {
        k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "CEDS_TESTING", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(CEDS_TESTING="1", PYTHONPATH=str(ROOT), **extra)
    return env


class Workers:
    """Celery workers started as child processes (solo pool) against the test broker."""

    def __init__(self, env: dict, log_dir: Path):
        self.env, self.log_dir, self.started, self.logs = env, log_dir, [], []

    def start(self, freeze: str = "", pause_file: Path | None = None) -> subprocess.Popen:
        """A worker; with `freeze` ("module:function"), one that stops in that function (frozen_worker)."""
        log = self.log_dir / f"worker-{len(self.started)}.log"
        handle = log.open("wb")
        self.logs.append(handle)
        if freeze:
            command = [sys.executable, "-m", "tests.services.frozen_worker", freeze, str(pause_file)]
        else:
            command = [str(Path(sys.executable).parent / "celery"), "-A", "ceds", "worker"]
        process = subprocess.Popen(
            [
                *command,
                "--pool=solo",
                "-Q",
                "default,reports,benchmarks,audit",
                "--without-heartbeat",
                "--without-mingle",
                "--without-gossip",
                "-n",
                f"test-{uuid.uuid4().hex[:8]}@%h",
                "-l",
                "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        deadline = time.monotonic() + 30
        while b" ready." not in log.read_bytes():
            assert process.poll() is None, log.read_text()[-3000:]
            assert time.monotonic() < deadline, "the worker did not start: " + log.read_text()[-3000:]
            time.sleep(0.1)
        return process

    def stop(self):
        # Killed, not stopped gracefully: nothing a test checks depends on a warm shutdown.
        for process in self.started:
            if process.poll() is None:
                process.kill()
                process.wait()
        for handle in self.logs:
            handle.close()
        self.logs = []


def manage(env: dict, *args: str) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr.decode()[-3000:]
    return done.stdout.decode()


@pytest.fixture(scope="module")
def worker_site(tmp_path_factory):
    """A migrated SQLite file with a submitted assessment, the env of its app and worker processes,
    and a Workers starter. Module-scoped: migrating takes most of its time."""
    folder = tmp_path_factory.mktemp("worker-site")
    env = child_env(
        DATABASE_URL=f"sqlite:///{folder / 'site.sqlite3'}",
        MEDIA_ROOT=str(folder / "media"),
        CEDS_BROKER_URL=TEST_BROKER_URL,
        CEDS_BROKER_KEY_PREFIX=f"ceds-test-{uuid.uuid4().hex[:8]}:",
        CEDS_BROKER_VISIBILITY_TIMEOUT="3",  # a killed worker's task comes back within seconds
    )
    # The site is set up without the broker so nothing is queued before a worker listens.
    setup_env = {k: v for k, v in env.items() if k != "CEDS_BROKER_URL"}
    pks = [int(pk) for pk in manage(setup_env, "-m", "tests.services.worker_site", "setup").split()[-2:]]
    workers = Workers(env, folder)
    yield {"env": env, "db": folder / "site.sqlite3", "assessments": pks, "workers": workers, "folder": folder}
    workers.stop()
