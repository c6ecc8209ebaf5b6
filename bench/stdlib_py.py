"""PyTorch and NumPy side of `npm run bench:stdlib`: the same workloads (a)-(e), float64, one
thread, printed as JSON {name: median_ms}. Run by bench/stdlib.ts; missing libraries are skipped."""
import json, statistics, sys, time

def median_ms(fn, reps, inner=1):
    fn()
    ts = []
    for _ in range(reps):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        ts.append((time.perf_counter() - t) * 1000 / inner)
    return statistics.median(ts)

out = {}
N = 1_000_000
try:
    import numpy as np
    rng = np.random.default_rng(0)
    xn, yn = rng.random(N), rng.random(N)
    out["numpy.a"] = median_ms(lambda: np.log(np.exp(xn) + np.exp(yn)), 15)
    A = rng.random((512, 512)); B = rng.random((512, 512))
    out["numpy.d"] = median_ms(lambda: A @ B, 15)
    out["numpy.version"] = np.__version__
except ImportError:
    pass
try:
    import torch
    torch.set_num_threads(1)
    x = torch.rand(N, dtype=torch.float64); y = torch.rand(N, dtype=torch.float64)
    out["torch.a"] = median_ms(lambda: torch.log(torch.exp(x) + torch.exp(y)), 15)
    ones = torch.ones(N, dtype=torch.float64)
    def fwd_bwd():
        X = x.detach().requires_grad_(); Y = y.detach().requires_grad_()
        torch.log(torch.exp(X) + torch.exp(Y)).backward(ones)
        return X.grad, Y.grad
    out["torch.b"] = median_ms(fwd_bwd, 15)
    def chain():
        w = torch.tensor([-1.], dtype=torch.float64, requires_grad=True)
        x_ = torch.tensor([0.], dtype=torch.float64, requires_grad=True)
        y_ = torch.tensor([-2.], dtype=torch.float64, requires_grad=True)
        z = torch.tensor([1.], dtype=torch.float64, requires_grad=True)
        a, b = (w + x_ + y_ + z) ** 2, (w + x_ - y_ - z) ** 2
        u, v = (a + b) ** 2, (a - b) ** 2
        f = (u + v) ** 2
        f.backward()
        return w.grad
    out["torch.c"] = median_ms(chain, 15, inner=200)
    A = torch.rand(512, 512, dtype=torch.float64); B = torch.rand(512, 512, dtype=torch.float64)
    out["torch.d"] = median_ms(lambda: A @ B, 15)
    x0 = torch.linspace(-1, 1, 100, dtype=torch.float64)
    f = lambda t: (t ** 4).sum() / 12 + (t[:-1] * t[1:]).sum() + t.sum() ** 2
    out["torch.e"] = median_ms(lambda: torch.autograd.functional.hessian(f, x0), 7)
    H = torch.autograd.functional.hessian(f, x0)
    ref = torch.diag(x0 ** 2) + torch.diag(torch.ones(99, dtype=torch.float64), 1) + torch.diag(torch.ones(99, dtype=torch.float64), -1) + 2
    out["torch.e.err"] = float((H - ref).abs().max())
    out["torch.version"] = torch.__version__
except ImportError:
    pass
json.dump(out, sys.stdout)
