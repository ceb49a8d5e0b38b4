"""Send a training run to a trainwatch server over its ingest API. Standard library only.

    from trainwatch_client import Run

    run = Run("http://trainwatch-host:7070", "resnet18-sgd", config={"lr": 0.1})
    for step in range(steps):
        run.log(step, {"loss": loss, "train_acc": acc})
        if run.stop_requested:
            run.finish(status="stopped")
            break
    else:
        run.finish(status="finished")

log() never touches the network: records go to a local spool file and a background thread sends
them in batches, in order, each exactly once (the server acknowledges by seq, docs/api.md
"Ingest"). While the server is unreachable the thread retries with backoff and the spool grows
on disk; it is replayed in order when the server answers again. Memory stays bounded.
"""

import gzip
import json
import math
import os
import re
import socket
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid

__all__ = ["Run"]

_TAG = re.compile(r"[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\Z")
_FINAL = ("finished", "failed", "diverged", "stopped")
_INDEX_EVERY = 256


class RetryLater(Exception):
    """A 5xx or 429 answer: send again, not before Retry-After seconds (0 when the server sent none)."""

    def __init__(self, status, retry_after):
        try:
            seconds = min(600.0, max(0.0, float(retry_after))) if retry_after else 0.0
        except ValueError:  # an HTTP date: treated as none
            seconds = 0.0
        Exception.__init__(self, "server answered %d" % status)
        self.seconds = seconds


def _number(v):
    """A float for JSON; NaN and infinities as the strings the server reads (JSON has no such numbers)."""
    f = float(v)
    if math.isnan(f):
        return "NaN"
    if math.isinf(f):
        return "Infinity" if f > 0 else "-Infinity"
    return f


class _Spool:
    """Every record of the run in seq order, as "SEQ<TAB>JSON" lines in a local file."""

    def __init__(self, path):
        self.path = path
        os.makedirs(os.path.dirname(path), exist_ok=True)
        self._out = open(path, "xb")
        self._lock = threading.Lock()
        self._offsets = []
        self._size = 0
        self.next_seq = 0

    def append(self, record_json):
        line = ("%d\t%s\n" % (self.next_seq, record_json)).encode("utf-8")
        with self._lock:
            seq = self.next_seq
            if seq % _INDEX_EVERY == 0:
                self._offsets.append(self._size)
            self._out.write(line)
            self._size += len(line)
            self.next_seq = seq + 1
            return seq

    def read(self, first, max_records, max_bytes=16 << 20):
        with self._lock:
            self._out.flush()
            if first >= self.next_seq:
                return []
            start = self._offsets[first // _INDEX_EVERY]
        out, size = [], 0
        with open(self.path, "rb") as f:
            f.seek(start)
            for raw in f:
                if not raw.endswith(b"\n"):
                    break
                tab = raw.index(b"\t")
                seq = int(raw[:tab])
                if seq < first:
                    continue
                out.append((seq, raw[tab + 1:-1].decode("utf-8")))
                size += len(raw)
                if len(out) >= max_records or size >= max_bytes:
                    break
        return out

    def close(self, delete=False):
        with self._lock:
            if not self._out.closed:
                self._out.close()
        if delete:
            try:
                os.remove(self.path)
            except OSError:
                pass


class Run:
    """One run on a trainwatch server. Thread-safe; log from the training loop, the sending happens elsewhere."""

    def __init__(self, url, name, config=None, token=None, spool_dir=None, classes=None, description=None,
                 flush_interval=1.0, max_batch=5000):
        if not (url.startswith("http://") or url.startswith("https://")):
            raise ValueError("url must start with http:// or https:// (got %r)" % url)
        if not name or not str(name).strip():
            raise ValueError("name must not be empty")
        self.url = url.rstrip("/")
        self.name = str(name)
        self.config = config
        self.token = token
        self.classes = classes
        self.description = description
        self.flush_interval = max(0.001, float(flush_interval))
        self.max_batch = max(1, int(max_batch))
        spool_dir = spool_dir or os.path.join(tempfile.gettempdir(), "trainwatch-spool")
        self._spool = _Spool(os.path.join(spool_dir, "%s.spool" % uuid.uuid4()))
        self._cond = threading.Condition()
        self._acked = 0
        self._id = None
        self._key = None
        self._stop = False
        self._finished = False
        self._closing = False
        self._last_step = -1
        self.error = None
        self._thread = threading.Thread(target=self._send_loop, name="trainwatch-sender", daemon=True)
        self._thread.start()

    # --- what a training loop calls

    def log(self, step, values):
        """Values of some tags at a step (steps must not decrease). NaN/inf are kept; None leaves a tag out."""
        step = int(step)
        if step < 0:
            raise ValueError("step must be >= 0, got %d" % step)
        if step < self._last_step:
            raise ValueError("steps must not decrease: got %d after %d" % (step, self._last_step))
        vals = {}
        for tag, v in values.items():
            if v is None:
                continue
            if not isinstance(tag, str) or len(tag) > 200 or not _TAG.match(tag):
                raise ValueError("invalid tag name %r: letters, digits, _ . - in segments joined by /" % (tag,))
            vals[tag] = _number(v)
        self._last_step = step
        self._append({"type": "scalars", "step": step, "t": int(time.time() * 1000), "values": vals})

    def log_filters(self, step, shape, data):
        """The first layer's weights as images: shape [nOut, nIn, kH, kW], data the floats in that order."""
        shape = [int(d) for d in shape]
        if len(shape) != 4:
            raise ValueError("shape must have 4 dims [nOut, nIn, kH, kW]")
        data = [_number(x) for x in data]
        self._append({"type": "filters", "step": int(step), "t": int(time.time() * 1000), "shape": shape, "data": data})

    def alert(self, step, kind, message, tag="", advice=""):
        self._append({"type": "alert", "step": int(step), "t": int(time.time() * 1000), "kind": kind, "tag": tag,
                      "message": message, "advice": advice})

    @property
    def stop_requested(self):
        """True once someone asked the run to stop on the dashboard: end training, then finish(status="stopped")."""
        return self._stop

    @property
    def id(self):
        """The run's id on the server, or None until the server has been reached."""
        return self._id

    @property
    def spool_file(self):
        return self._spool.path

    def pending(self):
        """Records logged but not yet acknowledged by the server."""
        return self._spool.next_seq - self._acked

    def finish(self, status="finished", reason="", timeout=60.0):
        """Ends the run with a final status and waits up to `timeout` s for delivery; True when everything arrived."""
        if status not in _FINAL:
            raise ValueError("status must be one of %s (got %r)" % (", ".join(_FINAL), status))
        if not self._finished:
            self._append({"type": "status", "status": status, "reason": reason or ""})
            self._finished = True
        ok = self.wait_delivered(timeout)
        self.close(0 if ok else None)
        return ok

    def wait_delivered(self, timeout=60.0):
        deadline = time.monotonic() + timeout
        with self._cond:
            self._cond.notify_all()
            while self._acked < self._spool.next_seq and self.error is None:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                self._cond.wait(min(left, 0.05))
            return self._acked >= self._spool.next_seq

    def close(self, timeout=60.0):
        """Stops the sender after waiting (up to `timeout` s) for delivery; deletes the spool when all arrived."""
        if timeout:
            self.wait_delivered(timeout)
        delivered = self._acked >= self._spool.next_seq
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if threading.current_thread() is not self._thread:
            self._thread.join(10)
        self._spool.close(delete=delivered)
        if not delivered:
            sys.stderr.write("trainwatch: %d records of run %s were not delivered (%s); they are in %s\n"
                             % (self.pending(), self._id, self.error or "server unreachable", self._spool.path))

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc, tb):
        if exc_type is None and not self._finished:
            self.finish("finished")
        else:
            self.close()
        return False

    # --- the sender thread

    def _append(self, record):
        if self._finished:
            raise RuntimeError("the run is finished: it takes no more records")
        self._spool.append(json.dumps(record, separators=(",", ":"), allow_nan=False))
        if self._spool.next_seq - self._acked >= self.max_batch:
            with self._cond:
                self._cond.notify_all()

    def _post(self, path, bearer, payload):
        body = payload.encode("utf-8")
        headers = {"Content-Type": "application/json"}
        if len(body) > 32 * 1024:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        if bearer:
            headers["Authorization"] = "Bearer " + bearer
        req = urllib.request.Request(self.url + path, data=body, headers=headers, method="POST")
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return r.status, r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            if e.code >= 500 or e.code == 429:
                raise RetryLater(e.code, e.headers.get("Retry-After"))
            return e.code, e.read().decode("utf-8", "replace")

    def _create(self):
        req = {"name": self.name}
        if self.config is not None:
            req["config"] = self.config
        if self.classes is not None:
            req["classes"] = int(self.classes)
        if self.description is not None:
            req["description"] = self.description
        req["host"] = socket.gethostname()[:200]
        req["client"] = ("trainwatch-python (Python %d.%d)" % sys.version_info[:2])[:200]
        status, text = self._post("/api/ingest/runs", self.token, json.dumps(req, allow_nan=False, default=str))
        if status == 201:
            j = json.loads(text)
            self._key, self._id = j["key"], j["id"]
        else:  # 5xx and 429 never get here: _post raises RetryLater for them
            self.error = "the server refused to create the run: %d %s" % (status, text)

    def _send_batch(self, batch):
        payload = '{"seq":%d,"records":[%s]}' % (batch[0][0], ",".join(j for _, j in batch))
        status, text = self._post("/api/ingest/runs/%s/records" % self._id, self._key, payload)
        if status == 200:
            j = json.loads(text)
            self._acked = int(j["next"])
            if j.get("stop"):
                self._stop = True
        elif status == 409 and "expected" in text:
            self._acked = int(json.loads(text)["expected"])  # resend from where the server is
        elif status == 413 and len(batch) > 1:
            self.max_batch = max(1, len(batch) // 2)
        else:
            self.error = "the server refused records %d..%d: %d %s" % (batch[0][0], batch[-1][0], status, text)
            sys.stderr.write("trainwatch: %s\n" % self.error)

    def _send_loop(self):
        backoff, last_send = 0.25, 0.0
        while not self._closing and self.error is None:
            try:
                if self._id is None:
                    self._create()
                    backoff = 0.25
                    continue
                waiting = self._spool.next_seq - self._acked
                due = waiting >= self.max_batch or self._finished or time.monotonic() - last_send >= self.flush_interval
                if waiting == 0 or not due:
                    with self._cond:
                        if not self._closing:
                            self._cond.wait(self.flush_interval if waiting == 0
                                            else max(0.001, self.flush_interval - (time.monotonic() - last_send)))
                    continue
                batch = self._spool.read(self._acked, self.max_batch)
                if not batch:
                    continue
                last_send = time.monotonic()
                self._send_batch(batch)
                backoff = 0.25
            except RetryLater as e:  # 5xx or 429: not before the server's Retry-After (503 when it is out of descriptors)
                end = time.monotonic() + max(backoff, e.seconds)
                with self._cond:
                    while not self._closing and time.monotonic() < end:
                        self._cond.wait(end - time.monotonic())
                backoff = min(10.0, backoff * 2)
            except (OSError, urllib.error.URLError, ValueError):
                with self._cond:
                    if not self._closing:
                        self._cond.wait(backoff)  # server down or unreachable: the spool keeps everything
                backoff = min(10.0, backoff * 2)
            except Exception as e:  # a bug here must not kill training: report it and stop sending
                self.error = "client error: %r" % (e,)
            finally:
                with self._cond:
                    self._cond.notify_all()
