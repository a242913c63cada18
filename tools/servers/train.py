"""Trains the tiny scikit-learn model that the real model servers serve in the tests.

Run by .ci/install-servers with the `mlflow` venv's python (it has mlflow and the scikit-learn,
pandas and numpy pins that every venv shares, so the pickles load in each of them):

    python train.py --models DIR    writes the models (layout below) and checks them against
                                    tests/data/servers/expected.csv
    python train.py --data DIR      (re)writes rows.csv and expected.csv into DIR (committed)

The model: columns f1..f4 (float) and color (string: red, green, blue) -> ColumnTransformer
(OneHotEncoder for color, the floats passed through) -> LogisticRegression (classes 0 and 1),
trained on a seeded synthetic set. Two variants:

- normal: the encoder ignores unknown colors (a row with color `bad` is scored);
- picky:  the encoder refuses unknown colors, so a batch with a row whose color is `bad` fails
          as a whole inside predict ("Found unknown categories ['bad'] in column 0 during
          transform"), as a real model with an unexpected value does.

Layout of DIR (the --models argument):

    mlflow/ mlflow-picky/              MLflow model directories (sklearn flavor, with a signature)
    joblib/model.joblib                the pipeline, for azureml (score.py) and kserve
    joblib-picky/model.joblib
    mlserver/settings.json             `mlserver start DIR/mlserver` (mlserver_sklearn.SKLearnModel)
    mlserver/model/model-settings.json + model.joblib
    mlserver-picky/...                 the same with the picky pipeline
"""

import argparse
import os
import shutil
import sys

import joblib
import numpy as np
import pandas as pd
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "tests", "data", "servers")
FLOATS = ["f1", "f2", "f3", "f4"]
COLUMNS = FLOATS + ["color"]
COLORS = ["red", "green", "blue"]
MODEL_NAME = "model"


def synthetic(n, seed):
    """A seeded table of n rows and its 0/1 labels."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 4))
    color = rng.choice(COLORS, size=n)
    effect = np.select([color == "red", color == "green"], [0.8, -0.6], -0.1)
    logit = 1.2 * x[:, 0] - 0.9 * x[:, 1] + 0.5 * x[:, 2] - 0.2 * x[:, 3] + effect
    y = (logit + rng.normal(scale=0.7, size=n) > 0).astype(np.int64)
    frame = pd.DataFrame(x, columns=FLOATS)
    frame["color"] = color
    return frame, y


def pipeline(picky):
    encoder = OneHotEncoder(
        categories=[COLORS], handle_unknown="error" if picky else "ignore"
    )
    columns = ColumnTransformer(
        [("color", encoder, ["color"]), ("floats", "passthrough", FLOATS)]
    )
    return Pipeline([("columns", columns), ("classifier", LogisticRegression())])


def train(picky):
    frame, y = synthetic(500, seed=20240601)
    return pipeline(picky).fit(frame, y)


def rows_text():
    """rows.csv: 200 seeded rows; a few cells are written the way people write numbers
    (`5.`, `2`, `-0`, `1e-3`, `0.50`, `+1.5`) to stress the client's typing of cells."""
    frame, _ = synthetic(200, seed=7)
    cells = [[f"{v:.4f}" for v in row] for row in frame[FLOATS].to_numpy()]
    odd = {
        (0, 0): "5.",
        (1, 1): "2",
        (2, 2): "-0",
        (3, 3): "1e-3",
        (4, 0): "0.50",
        (5, 1): "-3",
        (6, 2): "+1.5",
        (7, 3): "10",
        (8, 0): ".25",
        (9, 1): "1E2",
    }
    for (r, c), text in odd.items():
        cells[r][c] = text
    lines = [",".join(COLUMNS)]
    for row, color in zip(cells, frame["color"]):
        lines.append(",".join(row + [color]))
    return "\n".join(lines) + "\n"


def read_rows(path):
    return pd.read_csv(path, dtype={c: "float64" for c in FLOATS} | {"color": "str"})


def expected_text(model, rows):
    predict = model.predict(rows)
    proba = model.predict_proba(rows)
    lines = ["predict,proba_0,proba_1"]
    for p, (p0, p1) in zip(predict, proba):
        lines.append(f"{int(p)},{float(p0)!r},{float(p1)!r}")
    return "\n".join(lines) + "\n"


def write_data(out):
    os.makedirs(out, exist_ok=True)
    rows_path = os.path.join(out, "rows.csv")
    with open(rows_path, "w") as f:
        f.write(rows_text())
    with open(os.path.join(out, "expected.csv"), "w") as f:
        f.write(expected_text(train(picky=False), read_rows(rows_path)))
    print(f"train.py: wrote {rows_path} and expected.csv")


def check(model):
    """The trained model must reproduce the committed expected predictions."""
    rows = read_rows(os.path.join(DATA, "rows.csv"))
    want = pd.read_csv(os.path.join(DATA, "expected.csv"))
    got = model.predict(rows)
    proba = model.predict_proba(rows)
    if not (got == want["predict"].to_numpy()).all() or not np.allclose(
        proba, want[["proba_0", "proba_1"]].to_numpy(), rtol=0, atol=1e-12
    ):
        sys.exit(
            "train.py: the trained model does not reproduce tests/data/servers/expected.csv "
            "(were the pins changed? then run `train.py --data tests/data/servers` and commit)"
        )


def save_mlflow(model, path):
    import mlflow.sklearn
    from mlflow.models import infer_signature

    example = read_rows(os.path.join(DATA, "rows.csv")).head(3)
    signature = infer_signature(example, model.predict(example))
    mlflow.sklearn.save_model(
        model,
        path,
        signature=signature,
        input_example=example,
        # Named, not inferred: inferring them runs the model in a subprocess (10 s each).
        pip_requirements=[f"scikit-learn=={sklearn.__version__}", f"pandas=={pd.__version__}"],
    )


def save_mlserver(model, path):
    os.makedirs(os.path.join(path, MODEL_NAME))
    shutil.copy(
        os.path.join(HERE, "mlserver-settings.json"),
        os.path.join(path, "settings.json"),
    )
    shutil.copy(
        os.path.join(HERE, "mlserver-model-settings.json"),
        os.path.join(path, MODEL_NAME, "model-settings.json"),
    )
    joblib.dump(model, os.path.join(path, MODEL_NAME, "model.joblib"))


def write_models(out):
    os.makedirs(out, exist_ok=True)
    for picky in (False, True):
        suffix = "-picky" if picky else ""
        model = train(picky)
        check(model)
        save_mlflow(model, os.path.join(out, "mlflow" + suffix))
        os.makedirs(os.path.join(out, "joblib" + suffix))
        joblib.dump(model, os.path.join(out, "joblib" + suffix, "model.joblib"))
        save_mlserver(model, os.path.join(out, "mlserver" + suffix))
    print(f"train.py: wrote the models into {out}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", help="write the models into this directory")
    parser.add_argument("--data", help="write rows.csv and expected.csv into this directory")
    args = parser.parse_args()
    if not args.models and not args.data:
        parser.error("give --models DIR or --data DIR")
    if args.data:
        write_data(args.data)
    if args.models:
        write_models(args.models)


if __name__ == "__main__":
    main()
