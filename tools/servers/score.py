"""Azure ML entry script (azureml-inference-server-http, `azmlinfsrv --entry_script score.py`).

init() loads $AZUREML_MODEL_DIR/model.joblib (the scikit-learn pipeline of train.py, or its
picky variant). run() gets the raw request body (the function is not decorated) and accepts:

- the body Azure ML gives MLflow models deployed without a script:
  {"input_data": {"columns": [...], "index": [...], "data": [[...], ...]}, "params": {...}}
  (index and params optional; params are accepted and ignored);
- the sample body of the Azure ML docs: {"data": [[...], ...]} (values in the model's column order).

It answers a bare JSON list of predictions, as Azure ML's MLflow scoring does. Any exception
(a body of another shape, a value the model refuses) becomes 500 with
`x-ms-run-function-failed: True`, the server's answer to an exception in run().
"""

import json
import os

import joblib
import pandas as pd

model = None


def init():
    global model
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.joblib"))


def frame(body):
    if "input_data" in body:
        table = body["input_data"]
        return pd.DataFrame(table["data"], columns=table["columns"], index=table.get("index"))
    if "data" in body:
        return pd.DataFrame(body["data"], columns=list(model.feature_names_in_))
    raise ValueError(f"expected a body with `input_data` or `data`, got the keys {sorted(body)}")


def run(raw_data):
    body = json.loads(raw_data) if isinstance(raw_data, (str, bytes)) else raw_data
    return model.predict(frame(body)).tolist()
