"""A KServe custom model server for the scikit-learn pipeline of train.py (v1 and v2 routes).

    python kserve_server.py --model_dir DIR [--model_name model] [--http_port 8080] [--workers 1]
        [--host 127.0.0.1]

It loads DIR/model.joblib and serves it the way KServe's own sklearnserver does
(kserve.utils.utils.get_predict_input / get_predict_response), with one addition so that it
also takes rows as lists of values: a 2-D array of rows is read as a table of the model's
columns (f1..f4, color). So:

- v1 `POST /v1/models/M:predict` `{"instances": [[5.1, 3.5, 1.4, 0.2, "red"], ...]}` (rows) or
  `{"instances": [{"f1": [...], ..., "color": [...]}]}` (one column dict) ->
  `{"predictions": [0, 1, ...]}`;
- v2 `POST /v2/models/M/infer` with one input per column and the request parameter
  `content_type: pd` (as KServe's sklearnserver needs) -> one output `output-0`, shape [n].

Any exception in predict becomes 500 `{"error": ...}`. Only the HTTP server is started (no gRPC),
bound to --host: kserve 0.21 hard-codes 0.0.0.0 in its REST server, so the host is set on its
uvicorn config after it is built. Set PREDICT_PROBA=true to answer predict_proba instead.
"""

import argparse
import os

import joblib
import kserve
import numpy as np
import pandas as pd
from kserve.errors import InferenceError
from kserve.model_server import parser as kserve_parser
from kserve.protocol.rest import server as rest_server
from kserve.utils.utils import get_predict_input, get_predict_response

parser = argparse.ArgumentParser(parents=[kserve_parser])
parser.add_argument("--model_dir", required=True, help="a directory with model.joblib")
parser.add_argument("--host", default="127.0.0.1", help="the address to listen on")
args, _ = parser.parse_known_args()

_rest_init = rest_server.RESTServer.__init__


def _rest_init_on_host(self, *a, **kw):
    _rest_init(self, *a, **kw)
    self.config.host = args.host


rest_server.RESTServer.__init__ = _rest_init_on_host


class SklearnPipeline(kserve.Model):
    def __init__(self, name, model_dir):
        super().__init__(name)
        self.model_dir = model_dir
        self.model = None

    def load(self):
        self.model = joblib.load(os.path.join(self.model_dir, "model.joblib"))
        self.ready = True
        return self.ready

    def predict(self, payload, headers=None):
        try:
            instances = get_predict_input(payload)
            if isinstance(instances, np.ndarray) and instances.ndim == 2:
                instances = pd.DataFrame(instances, columns=self.model.feature_names_in_)
            if os.environ.get("PREDICT_PROBA", "false").lower() == "true":
                result = self.model.predict_proba(instances)
            else:
                result = self.model.predict(instances)
            return get_predict_response(payload, result, self.name)
        except Exception as e:
            raise InferenceError(str(e))


if __name__ == "__main__":
    model = SklearnPipeline(args.model_name, args.model_dir)
    model.load()
    kserve.ModelServer(http_port=args.http_port, workers=args.workers, enable_grpc=False).start(
        [model]
    )
