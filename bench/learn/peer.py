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

def make_model(task, cat):
    from sklearn.ensemble import HistGradientBoostingClassifier, HistGradientBoostingRegressor
    common = dict(max_iter=100, learning_rate=0.1, max_leaf_nodes=31, min_samples_leaf=20, max_bins=255,
                  l2_regularization=0.0, early_stopping=False, random_state=0,
                  categorical_features=cat if cat.any() else None)
    return HistGradientBoostingRegressor(**common) if task == "regression" else HistGradientBoostingClassifier(**common)

def scores(model, task, X):
    if task == "regression": return model.predict(X)
    p = model.predict_proba(X)
    return p[:, 1] if task == "binary" else p

def main():
    header_path, out_path = sys.argv[1], sys.argv[2]
    with open(header_path) as f:
        h = json.load(f)
    n, F, n_train, task = h["rows"], len(h["features"]), h["trainRows"], h["task"]
    data = np.fromfile(h["dataFile"], dtype=np.float64).reshape(F + 1, n)
    X = np.ascontiguousarray(data[:F].T)
    y = data[F]
    cat = np.array([f["kind"] == "categorical" for f in h["features"]])
    if h.get("folds"):
        # Out-of-fold predictions on the bench's folds, [repeat][row][output].
        K = h["classes"] if task == "multiclass" else 1
        out = np.zeros((len(h["folds"]), n, K))
        fit = 0.0
        c = time.process_time()
        for r, fold in enumerate(h["folds"]):
            fold = np.array(fold)
            for k in range(5):
                tr, te = fold != k, fold == k
                model = make_model(task, cat)
                t = time.perf_counter(); model.fit(X[tr], y[tr]); fit += time.perf_counter() - t
                out[r, te] = np.asarray(scores(model, task, X[te])).reshape(-1, K)
        out.astype(np.float64).tofile(out_path)
        print(json.dumps({"fit": fit, "fitCpu": time.process_time() - c, "predict": 0, "predictAll": 0,
                          "predictAllCpu": 0, "maxRssMB": peak_mb()}))
        return
    model = make_model(task, cat)
    c = time.process_time(); t = time.perf_counter(); model.fit(X[:n_train], y[:n_train]); fit = time.perf_counter() - t; fit_cpu = time.process_time() - c
    Xt = X[n_train:]
    t = time.perf_counter()
    pred = scores(model, task, Xt)
    predict = time.perf_counter() - t
    # Every row, the median of three (as the node side does).
    times = []
    for _ in range(3):
        c = time.process_time(); t = time.perf_counter()
        scores(model, task, X)
        times.append((time.perf_counter() - t, time.process_time() - c))
    times.sort()
    predict_all, predict_all_cpu = times[1]
    np.asarray(pred, dtype=np.float64).tofile(out_path)
    print(json.dumps({"fit": fit, "fitCpu": fit_cpu, "predict": predict, "predictAll": predict_all,
                      "predictAllCpu": predict_all_cpu, "maxRssMB": peak_mb(),
                      "trees": int(model.n_iter_)}))

main()
