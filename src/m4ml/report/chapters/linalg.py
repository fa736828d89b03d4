"""Chapter 2: linear algebra on bundled data, every factorization checked another way."""

import numpy as np

from m4ml import linalg as la
from m4ml.report.chapters._common import guarded
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, Table, agree, lre

TITLE = "Linear algebra"
INTRO = (
    "Vectors and matrices, factorizations and least squares: m4ml.linalg writes LU, QR, "
    "Cholesky, the eigensolvers and the SVD itself, on NumPy arrays."
)


def _det(section, ctx):
    section.text = (
        "LU with partial pivoting factors PA = LU; the determinant is the signed "
        "product of U's diagonal. The eigenvalues give it independently."
    )
    section.formulas = [r"\det A = (-1)^{s} \prod_i u_{ii} = \prod_i \lambda_i"]
    rng = np.random.default_rng(ctx.seed)
    for n in (4, 8) if ctx.quick else (4, 8, 32):
        A = rng.standard_normal((n, n))
        d, prod = la.det(A), np.prod(la.eigvals(A)).real
        section.checks.append(
            Check(
                f"det(A), {n}x{n}, by LU",
                d,
                "product of eigvals(A)",
                prod,
                agree(d, prod, rtol=1e-9),
                "rtol 1e-9",
            )
        )
    B = rng.standard_normal((6, 6))
    x = la.solve(B, np.ones(6))
    r = float(la.norm(B @ x - 1.0))
    section.checks.append(
        Check(
            "solve(B, 1): |Bx - 1|",
            r,
            "≈ 0 (≤ 1e-12 |B||x|)",
            0.0,
            r <= 1e-12 * la.norm(B) * la.norm(x),
            "backward error",
        )
    )


def _lstsq(section, ctx):
    from m4ml.datasets import load_nist

    section.text = (
        "Least squares through QR never forms XᵀX, so it keeps the digits the normal "
        "equations lose. NIST's Longley and Wampler sets carry certified "
        "coefficients; LRE counts the correct significant digits."
    )
    section.formulas = [
        r"\hat\beta = \mathrm{arg\,min}_\beta \|y - X\beta\|_2 = R^{-1} Q^{\top} y",
        r"\mathrm{LRE} = -\log_{10}\frac{|\hat\beta - \beta|}{|\beta|}",
    ]
    rows = []
    for name in (
        ("Norris", "Longley")
        if ctx.quick
        else ("Norris", "Longley", "Wampler1", "Wampler3", "Filip")
    ):
        data = load_nist(name)
        beta = data.certified["beta"]
        if name == "Longley":
            X = np.column_stack([np.ones(len(data.y)), data.X])
        else:
            X = np.vander(data.X[:, 0], len(beta), increasing=True)
        coef = la.lstsq(X, data.y)[0]
        digits = min(lre(c, b) for c, b in zip(coef, beta))
        need = 6.0 if name == "Filip" else 8.0
        rows.append([name, len(beta), f"{digits:.1f}"])
        section.checks.append(
            Check(
                f"lstsq on NIST {name}: fewest correct digits",
                round(digits, 1),
                "NIST certified coefficients",
                f"≥ {need:g} digits",
                digits >= need,
            )
        )
    section.tables.append(Table(["NIST set", "coefficients", "min LRE (digits)"], rows))


def _svd(section, ctx):
    from m4ml.datasets import load_digits

    section.text = (
        "The truncated SVD is the best rank-k approximation (Eckart–Young): its error "
        "is exactly the energy in the discarded singular values. Data: the 8x8 "
        "handwritten digits, one image per row."
    )
    section.formulas = [r"\|A - A_k\|_F^2 = \sum_{i>k} \sigma_i^2"]
    X = load_digits(return_X_y=True)[0][: 300 if ctx.quick else 1797]
    X = X - X.mean(axis=0)
    U, s, Vt = la.svd(X, full_matrices=False)
    ranks = np.arange(0, 41, 2 if ctx.quick else 1)
    err = np.array([la.norm(X - (U[:, :k] * s[:k]) @ Vt[:k]) for k in ranks])
    theory = np.sqrt([np.sum(s[k:] ** 2) for k in ranks])
    section.checks.append(
        Check(
            "|A - A_k|_F for k = 0..40",
            err[[5, 10]] if ctx.quick else err[[10, 20]],
            "√(Σ_{i>k} σᵢ²)",
            theory[[5, 10]] if ctx.quick else theory[[10, 20]],
            agree(err, theory, rtol=1e-8),
            "all ranks, rtol 1e-8",
        )
    )
    ref = np.sqrt(la.eigvalsh(X.T @ X)[::-1].clip(0))
    section.checks.append(
        Check(
            "σ₁..σ₃",
            s[:3],
            "√eig(AᵀA), eigh",
            ref[:3],
            agree(s[:5], ref[:5], rtol=1e-9),
            "rtol 1e-9",
        )
    )
    fig, ax = new_figure()
    ax.semilogy(ranks, err, "o", ms=3, label="m4ml: |A - A_k|_F")
    ax.semilogy(ranks, theory, "-", label="Eckart–Young √Σσᵢ²")
    ax.set_xlabel("rank k")
    ax.set_ylabel("Frobenius error")
    ax.legend()
    section.figures.append(
        to_figure(
            fig,
            "SVD reconstruction error versus rank",
            "Reconstruction error of the digits matrix by rank.",
        )
    )


def _eigh(section, ctx):
    from m4ml.datasets import load_penguins

    section.text = (
        "The covariance of the penguins' four measurements is symmetric positive "
        "definite: eigh gives real eigenvalues summing to its trace, and Cholesky "
        "exists."
    )
    section.formulas = [
        r"\Sigma = V \Lambda V^{\top}, \quad \sum_i \lambda_i = \operatorname{tr}"
        r"\Sigma, \quad \Sigma = L L^{\top}"
    ]
    df = load_penguins(as_frame=False)
    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    X = np.column_stack([df[c] for c in cols])
    X = X[~np.isnan(X).any(axis=1)]
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    S = X.T @ X / (len(X) - 1)
    w, V = la.eigh(S)
    section.checks.append(
        Check(
            "sum of eigh(Σ) eigenvalues",
            w.sum(),
            "trace(Σ)",
            np.trace(S),
            agree(w.sum(), np.trace(S), rtol=1e-12),
        )
    )
    r = float(la.norm(S @ V - V * w))
    section.checks.append(Check("|ΣV - VΛ|", r, "≈ 0", 0.0, r < 1e-12))
    L = la.cholesky(S)
    r = float(la.norm(L @ L.T - S))
    section.checks.append(Check("cholesky: |LLᵀ - Σ|", r, "≈ 0", 0.0, r < 1e-12))
    Q, R = la.qr(X)
    r = float(la.norm(Q.T @ Q - np.eye(Q.shape[1])) + la.norm(Q @ R - X))
    section.checks.append(Check("qr(X): |QᵀQ - I| + |QR - X|", r, "≈ 0", 0.0, r < 1e-10))


SECTIONS = [
    ("Determinants and linear systems", "det-lu", _det),
    ("Least squares on NIST certified data", "lstsq-nist", _lstsq),
    ("Eigenvalues, Cholesky and QR on the penguins", "eigh-penguins", _eigh),
    ("SVD: reconstruction error versus rank", "svd-rank", _svd),
]


def build(ctx):
    """The chapter's sections, each guarded."""
    return [guarded(title, anchor, fn, ctx) for title, anchor, fn in SECTIONS]
