"""scikit-learn peer for bench/learn.mjs: fit HistGradientBoosting on the shared data file."""
import json, resource, sys, time
import numpy as np

def peak_mb():
    """VmHWM of this process image (ru_maxrss would include the forking parent's)."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

def main():
    header_path, out_path = sys.argv[1], sys.argv[2]
    with open(header_path) as f:
        h = json.load(f)
    n, F, n_train = h["rows"], len(h["features"]), h["trainRows"]
    data = np.fromfile(h["dataFile"], dtype=np.float64).reshape(F + 1, n)
    X = np.ascontiguousarray(data[:F].T)
    y = data[F]
    cat = np.array([f["kind"] == "categorical" for f in h["features"]])
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    common = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, max_bins=255,
                  l2_regularization=0.0, early_stopping=False, random_state=0,
                  categorical_features=cat if cat.any() else None)
    model = (HistGradientBoostingRegressor(**common) if h["task"] == "regression" else HistGradientBoostingClassifier(**common))
    c = time.process_time(); t = time.perf_counter(); model.fit(X[:n_train], y[:n_train]); fit = time.perf_counter() - t; fit_cpu = time.process_time() - c
    Xt = X[n_train:]
    t = time.perf_counter()
    pred = model.predict(Xt) if h["task"] == "regression" else model.predict_proba(Xt)[:, 1]
    predict = time.perf_counter() - t
    c = time.process_time(); t = time.perf_counter()
    if h["task"] == "regression": model.predict(X)
    else: model.predict_proba(X)
    predict_all = time.perf_counter() - t; predict_all_cpu = time.process_time() - c
    np.asarray(pred, dtype=np.float64).tofile(out_path)
    print(json.dumps({"fit": fit, "fitCpu": fit_cpu, "predict": predict, "predictAll": predict_all,
                      "predictAllCpu": predict_all_cpu, "maxRssMB": peak_mb(),
                      "trees": int(model.n_iter_)}))

main()
