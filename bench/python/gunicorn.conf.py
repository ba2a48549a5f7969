"""gunicorn settings of the DRF contender: gunicorn's recommended (2 x cores) + 1 workers, logs at info.

Threaded workers, because the benchmark's clients keep their connections open and gunicorn's sync
workers do not support keep-alive (they are meant to sit behind a buffering proxy). Django keeps one
persistent connection per thread: THREADS x workers is the database pool.
"""

import multiprocessing
import os

bind = f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ['PORT']}"
workers = multiprocessing.cpu_count() * 2 + 1
worker_class = "gthread"
threads = int(os.environ.get("THREADS", "2"))
accesslog = "-"
loglevel = "info"
