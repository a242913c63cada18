"""`azmlinfsrv` bound to 127.0.0.1 instead of 0.0.0.0: the same command line and the same
server (its argument parsing, environment, logging and gunicorn arguments); only the host
constant it hands to gunicorn is replaced. Run with the azureml venv's python:

    python azmlinfsrv_loopback.py --entry_script score.py --model_dir DIR --port PORT [--worker_count N]
"""

import sys

from azureml_inference_server_http import amlserver

amlserver.DEFAULT_HOST = "127.0.0.1"

if __name__ == "__main__":
    sys.exit(amlserver.run())
