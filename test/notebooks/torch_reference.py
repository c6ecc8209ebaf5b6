"""Runs the book's PyTorch cells with real PyTorch and prints their numbers as JSON.

Role: the independent oracle of test/notebooks/crosscheck.test.ts. The cells below retrace the
PyTorch tab of d2l.ai's "Multivariable Calculus" section (CC BY-SA 4.0) step by step, minus the
plotting, plus the corrections listed in the chapter's errata (the backprop cell printing each
variable's own gradient; meshgrid with indexing='ij'; the Hessian from autograd). Boundary: no
knowledge of gradlab; reads nothing, writes JSON to stdout.

Usage: .venv/bin/python test/notebooks/torch_reference.py
Exit status 3 (and a message on stderr) when torch is not installed.
"""
import json
import math
import sys

try:
    import torch
except ImportError:  # the cross-check test turns this into a loud skip
    print("torch is not installed in this Python environment", file=sys.stderr)
    sys.exit(3)


def gradient_approximation():
    """The section's first cell (float32, as the book runs it), and the same in float64."""
    out = {}
    for name, dtype in (("float32", torch.float32), ("float64", torch.float64)):
        torch.set_default_dtype(dtype)

        def f(x, y):
            return torch.log(torch.exp(x) + torch.exp(y))

        def grad_f(x, y):
            return torch.tensor([torch.exp(x) / (torch.exp(x) + torch.exp(y)),
                                 torch.exp(y) / (torch.exp(x) + torch.exp(y))])

        epsilon = torch.tensor([0.01, -0.03])
        grad_approx = f(torch.tensor([0.]), torch.log(torch.tensor([2.]))) + epsilon.dot(
            grad_f(torch.tensor([0.]), torch.log(torch.tensor(2.))))
        true_value = f(torch.tensor([0.]) + epsilon[0], torch.log(
            torch.tensor([2.])) + epsilon[1])
        out[name] = {
            "printed": "Approximation: {}, True Value: {}".format(grad_approx, true_value),
            "approximation": grad_approx.item(),
            "true_value": true_value.item(),
        }
    torch.set_default_dtype(torch.float64)
    return out


def critical_points():
    """The plotted function 3x^4 - 4x^3 - 12x^2: its grid, values and curvature at -1, 0, 2."""
    x = torch.arange(-2, 3, 0.01)
    f = (3 * x**4) - (4 * x**3) - (12 * x**2)
    points = {}
    for x0 in (-1.0, 0.0, 2.0):
        t = torch.tensor(x0, requires_grad=True)
        value = 3 * t**4 - 4 * t**3 - 12 * t**2
        (slope,) = torch.autograd.grad(value, t, create_graph=True)
        (curvature,) = torch.autograd.grad(slope, t)
        points[str(int(x0))] = {"f": value.item(), "slope": slope.item(), "curvature": curvature.item()}
    return {"grid_length": len(x), "argmin_index": int(f.argmin()), "argmin_x": x[f.argmin()].item(), "points": points}


def chain_rule_by_hand(w, x, y, z):
    """The two '#@tab all' cells: the forward decomposition and then backpropagation by hand."""
    a, b = (w + x + y + z)**2, (w + x - y - z)**2
    u, v = (a + b)**2, (a - b)**2
    f = (u + v)**2
    df_du, df_dv = 2*(u + v), 2*(u + v)
    du_da, du_db, dv_da, dv_db = 2*(a + b), 2*(a + b), 2*(a - b), -2*(a - b)
    da_dw, db_dw = 2*(w + x + y + z), 2*(w + x - y - z)
    da_dx, db_dx = 2*(w + x + y + z), 2*(w + x - y - z)
    da_dy, db_dy = 2*(w + x + y + z), -2*(w + x - y - z)
    da_dz, db_dz = 2*(w + x + y + z), -2*(w + x - y - z)
    du_dw, dv_dw = du_da*da_dw + du_db*db_dw, dv_da*da_dw + dv_db*db_dw
    forward_df_dw = df_du*du_dw + df_dv*dv_dw
    df_da, df_db = df_du*du_da + df_dv*dv_da, df_du*du_db + df_dv*dv_db
    df_dw, df_dx = df_da*da_dw + df_db*db_dw, df_da*da_dx + df_db*db_dx
    df_dy, df_dz = df_da*da_dy + df_db*db_dy, df_da*da_dz + df_db*db_dz
    return {"f": f, "forward_df_dw": forward_df_dw, "w": df_dw, "x": df_dx, "y": df_dy, "z": df_dz}


def chain_rule_autograd(point):
    """The PyTorch backprop cell. `book_prints` is what the book's cell prints (y.grad as df/dw,
    x.grad as df/dx, df/dy and df/dz); the other entries are each variable's own gradient."""
    w = torch.tensor([float(point[0])], requires_grad=True)
    x = torch.tensor([float(point[1])], requires_grad=True)
    y = torch.tensor([float(point[2])], requires_grad=True)
    z = torch.tensor([float(point[3])], requires_grad=True)
    a, b = (w + x + y + z)**2, (w + x - y - z)**2
    u, v = (a + b)**2, (a - b)**2
    f = (u + v)**2
    f.backward()
    return {
        "f": f.item(),
        "w": w.grad.item(), "x": x.grad.item(), "y": y.grad.item(), "z": z.grad.item(),
        "book_prints": {"w": y.grad.item(), "x": x.grad.item(), "y": x.grad.item(), "z": x.grad.item()},
    }


def hessian_cell():
    """The Hessian cell with the errata applied: grid with indexing='ij', and f, its gradient and
    Hessian at (-1, 0) from autograd instead of the book's hard-coded (and twice too large) quadratic."""
    x, y = torch.meshgrid(torch.linspace(-2, 2, 101), torch.linspace(-2, 2, 101), indexing="ij")
    z = x * torch.exp(- x**2 - y**2)

    def f2(p):
        return p[0] * torch.exp(-p[0]**2 - p[1]**2)

    x0 = torch.tensor([-1., 0.])
    f0 = f2(x0)
    g0 = torch.autograd.functional.jacobian(f2, x0)
    H0 = torch.autograd.functional.hessian(f2, x0)
    w = f0 + g0[0]*(x - x0[0]) + g0[1]*(y - x0[1]) + 0.5*(
        H0[0, 0]*(x - x0[0])**2 + 2*H0[0, 1]*(x - x0[0])*(y - x0[1]) + H0[1, 1]*(y - x0[1])**2)
    # The corrected closed form e^-1 (-1 - (x+1) + (x+1)^2 + y^2) must match the autograd quadratic.
    closed = math.exp(-1) * (-1 - (x + 1) + (x + 1)**2 + y**2)
    critical = {}
    for sign in (1, -1):
        p = torch.tensor([sign / math.sqrt(2), 0.])
        critical[f"{sign:+d}/sqrt2"] = torch.linalg.eigvalsh(torch.autograd.functional.hessian(f2, p)).tolist()
    return {
        "f": f0.item(), "gradient": g0.tolist(), "hessian": H0.tolist(),
        "z_sum": z.sum().item(), "w_sum": w.sum().item(),
        "max_abs_w_minus_closed_form": (w - closed).abs().max().item(),
        "critical_eigenvalues": critical,
    }


def main():
    torch.set_default_dtype(torch.float64)
    result = {
        "torch_version": torch.__version__,
        "gradient_approximation": gradient_approximation(),
        "critical_points": critical_points(),
        "chain_by_hand": {"-1,0,-2,1": chain_rule_by_hand(-1, 0, -2, 1), "1,0,0,0": chain_rule_by_hand(1, 0, 0, 0)},
        "chain_autograd": {"-1,0,-2,1": chain_rule_autograd((-1, 0, -2, 1)), "1,0,0,0": chain_rule_autograd((1, 0, 0, 0))},
        "hessian": hessian_cell(),
    }
    json.dump(result, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
