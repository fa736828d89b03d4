"""Chapter 6: advanced topics: the models of m4ml.models, each section guarded by availability.

A section whose estimator has not landed in :mod:`m4ml.models` is listed as pending, with the
class it waits for; nothing is substituted.
"""

import numpy as np

from m4ml import linalg as la
from m4ml.report.chapters._common import guarded, model_class
from m4ml.report.figures import new_figure, to_figure
from m4ml.report.model import Check, agree

TITLE = "Advanced topics: models"
INTRO = (
    "Unsupervised and supervised models built on the chapters above: PCA on the SVD, "
    "support vector machines on a QP dual, neural networks on reverse-mode autodiff, "
    "Gaussian mixtures by EM, naive Bayes by Bayes' rule."
)


def _penguin_matrix():
    from m4ml.datasets import load_penguins

    df = load_penguins(as_frame=False)
    cols = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g"]
    X = np.column_stack([df[c] for c in cols])
    keep = ~np.isnan(X).any(axis=1)
    X = X[keep]
    return (X - X.mean(axis=0)) / X.std(axis=0), df["species"][keep].astype(str)


def _pca(section, ctx, PCA):
    section.text = (
        "PCA of the four standardized penguin measurements: the explained variances "
        "are the eigenvalues of the covariance matrix, and two components already "
        "separate the species."
    )
    section.formulas = [
        r"\Sigma = \tfrac{1}{n-1} X_c^{\top} X_c = V \Lambda V^{\top}, \quad "
        r"Z = X_c V_{:, 1:k}"
    ]
    X, species = _penguin_matrix()
    pca = PCA(n_components=4).fit(X)
    eig = la.eigvalsh(X.T @ X / (len(X) - 1))[::-1]
    section.checks.append(
        Check(
            "PCA.explained_variance_",
            pca.explained_variance_,
            "eigvalsh of the covariance",
            eig,
            agree(pca.explained_variance_, eig, rtol=1e-9),
        )
    )
    Z = pca.transform(X)[:, :2]
    fig, axes = new_figure(2)
    ratio = pca.explained_variance_ratio_
    axes[0].bar(range(1, 5), ratio)
    axes[0].plot(range(1, 5), np.cumsum(ratio), "o-", color="C1")
    axes[0].set_xlabel("component")
    axes[0].set_ylabel("explained variance ratio")
    for k, name in enumerate(np.unique(species)):
        axes[1].scatter(*Z[species == name].T, s=8, label=name, color=f"C{k}")
    axes[1].set_xlabel("PC 1")
    axes[1].set_ylabel("PC 2")
    axes[1].legend(fontsize=7)
    section.figures.append(to_figure(fig, "PCA scree plot and 2-D projection"))


def _svm(section, ctx, SVC):
    from m4ml.datasets import make_moons

    section.text = (
        "An RBF-kernel SVM on two noisy moons. The dual solution satisfies the "
        "equality constraint Σ αᵢyᵢ = 0, and the decision function's sign is the "
        "prediction."
    )
    section.formulas = [
        r"\max_\alpha \sum_i \alpha_i - \tfrac12 \sum_{ij} \alpha_i\alpha_j y_i y_j "
        r"K(x_i, x_j) \;\text{s.t.}\; 0 \le \alpha_i \le C,\; \sum_i \alpha_i y_i "
        r"= 0"
    ]
    X, y = make_moons(200, noise=0.2, random_state=ctx.seed)
    model = SVC(kernel="rbf", C=1.0, gamma="scale").fit(X, y)
    s = float(np.sum(model.dual_coef_))
    section.checks.append(
        Check("Σ αᵢyᵢ (dual_coef_)", s, "equality constraint: 0", 0.0, abs(s) < 1e-6, "|·| < 1e-6")
    )
    pred = model.predict(X)
    sign = model.classes_[(model.decision_function(X) > 0).astype(int)]
    section.checks.append(
        Check(
            "predict",
            int((pred == y).sum()),
            "sign of decision_function",
            int((sign == y).sum()),
            bool(np.array_equal(pred, sign)),
            "identical labels",
        )
    )
    xs, ys = np.meshgrid(np.linspace(-1.5, 2.5, 150), np.linspace(-1, 1.5, 120))
    F = model.decision_function(np.column_stack([xs.ravel(), ys.ravel()])).reshape(xs.shape)
    fig, ax = new_figure(width=5.2, height=3.4)
    ax.contourf(xs, ys, F, levels=20, cmap="RdBu", alpha=0.5)
    ax.contour(xs, ys, F, levels=[-1, 0, 1], colors="k", linestyles=["--", "-", "--"])
    ax.scatter(*X.T, c=y, cmap="RdBu", s=10, edgecolors="k", linewidths=0.3)
    section.figures.append(to_figure(fig, "SVM decision boundary and margins"))


def _mlp(section, ctx, MLPClassifier):
    from m4ml.datasets import make_moons
    from m4ml.pipeline import ConfusionMatrixDisplay
    from m4ml.pipeline.metrics import confusion_matrix

    section.text = (
        "A one-hidden-layer network on the moons, trained by Adam through m4ml's "
        "reverse-mode autodiff: its loss curve, its confusion matrix on held-out "
        "points, and the loss landscape along two random directions around the "
        "trained weights."
    )
    section.formulas = [
        r"\hat p(x) = \sigma\!\left(w_2^{\top} \tanh(W_1 x + b_1) + b_2\right), "
        r"\quad L = -\frac1n\sum_i y_i\log\hat p_i + (1-y_i)\log(1-\hat p_i)"
    ]
    X, y = make_moons(400, noise=0.2, random_state=ctx.seed)
    Xt, yt = make_moons(200, noise=0.2, random_state=ctx.seed + 1)
    model = MLPClassifier(
        hidden_layer_sizes=(16,),
        activation="tanh",
        learning_rate_init=0.01,
        max_iter=400 if ctx.quick else 1000,
        random_state=ctx.seed,
    ).fit(X, y)
    W1, W2 = model.coefs_
    b1, b2 = model.intercepts_

    def positive_proba(V1, V2):
        """P(y = 1) by a forward pass: one logistic output unit, or a two-unit softmax."""
        z = np.tanh(X @ V1 + b1) @ V2 + b2
        if z.shape[1] == 1:
            return 1 / (1 + np.exp(-z[:, 0]))
        return 1 / (1 + np.exp(z[:, 0] - z[:, 1]))

    p = positive_proba(W1, W2)
    section.checks.append(
        Check(
            "predict_proba[:, 1] (first 3)",
            model.predict_proba(X)[:3, 1],
            "forward pass by hand",
            p[:3],
            agree(model.predict_proba(X)[:, 1], p, rtol=1e-9),
        )
    )
    cm = confusion_matrix(yt, model.predict(Xt))
    pred = model.predict(Xt)
    by_hand = np.array([[np.sum((yt == i) & (pred == j)) for j in (0, 1)] for i in (0, 1)])
    section.checks.append(
        Check(
            "confusion_matrix (held out)",
            cm,
            "counts by hand",
            by_hand,
            bool(np.array_equal(cm, by_hand)),
        )
    )

    def loss(a, b, d1, d2):
        q = positive_proba(W1 + a * d1[0] + b * d2[0], W2 + a * d1[1] + b * d2[1])
        q = np.clip(q, 1e-12, 1 - 1e-12)
        return -np.mean(y * np.log(q) + (1 - y) * np.log(1 - q))

    rng = np.random.default_rng(ctx.seed)
    dirs = [[rng.standard_normal(W1.shape), rng.standard_normal(W2.shape)] for _ in range(2)]
    for d in dirs:  # filter normalization: each direction scaled to the weights' norm
        for k, W in enumerate((W1, W2)):
            d[k] *= la.norm(W) / la.norm(d[k])
    grid = np.linspace(-1, 1, 15 if ctx.quick else 25)
    L = np.array([[loss(a, b, *dirs) for a in grid] for b in grid])
    fig, axes = new_figure(3, width=12, height=3.2)
    axes[0].plot(model.loss_curve_)
    axes[0].set_xlabel("epoch")
    axes[0].set_ylabel("training loss")
    ConfusionMatrixDisplay(cm).plot(ax=axes[1], colorbar=False)
    cs = axes[2].contour(grid, grid, np.log(L), levels=15)
    axes[2].clabel(cs, fontsize=6)
    axes[2].plot(0, 0, "k*")
    axes[2].set_title("log loss around the solution")
    section.figures.append(to_figure(fig, "MLP loss curve, confusion matrix and loss landscape"))


def _gmm(section, ctx, GaussianMixture):
    from m4ml.datasets import make_blobs

    section.text = (
        "Expectation–maximization fits a three-component Gaussian mixture to "
        "unlabelled blobs; it recovers the centres that generated them."
    )
    section.formulas = [
        r"p(x) = \sum_k \pi_k\, \mathcal{N}(x \mid \mu_k, \Sigma_k), \quad "
        r"r_{ik} = \frac{\pi_k \mathcal{N}(x_i \mid \mu_k, \Sigma_k)}{\sum_j "
        r"\pi_j \mathcal{N}(x_i \mid \mu_j, \Sigma_j)}"
    ]
    centers = np.array([[-4.0, 0.0], [0.0, 4.0], [4.0, -1.0]])
    X, _ = make_blobs(450, centers=centers, cluster_std=[0.8, 1.0, 0.6], random_state=ctx.seed)
    gmm = GaussianMixture(n_components=3, random_state=ctx.seed).fit(X)
    order = np.argsort(gmm.means_[:, 0])
    section.checks.append(
        Check(
            "means_ (sorted by x)",
            gmm.means_[order],
            "generating centres",
            centers,
            agree(gmm.means_[order], centers, atol=0.3),
            "atol 0.3",
        )
    )
    section.checks.append(
        Check(
            "Σ weights_",
            float(np.sum(gmm.weights_)),
            "1",
            1.0,
            agree(float(np.sum(gmm.weights_)), 1.0, rtol=1e-12),
        )
    )
    labels = gmm.predict(X)
    fig, ax = new_figure(width=5, height=3.4)
    ax.scatter(*X.T, c=labels, s=8, cmap="viridis")
    ax.plot(*gmm.means_.T, "r*", ms=12)
    section.figures.append(to_figure(fig, "Gaussian mixture clusters"))


def _naive_bayes(section, ctx, GaussianNB):
    section.text = (
        "Gaussian naive Bayes on the penguins' measurements: the posterior is the "
        "class prior times a product of one-dimensional normal densities, "
        "normalized; the check recomputes it by Bayes' rule from the fitted means "
        "and variances."
    )
    section.formulas = [
        r"p(y = k \mid x) = \frac{\pi_k \prod_j \mathcal{N}(x_j \mid \mu_{kj}, "
        r"\sigma_{kj}^2)}{\sum_c \pi_c \prod_j \mathcal{N}(x_j \mid \mu_{cj}, "
        r"\sigma_{cj}^2)}"
    ]
    X, species = _penguin_matrix()
    nb = GaussianNB().fit(X, species)
    logp = np.log(nb.class_prior_)[None, :] - 0.5 * np.sum(
        np.log(2 * np.pi * nb.var_)[None, :, :]
        + (X[:, None, :] - nb.theta_[None]) ** 2 / nb.var_[None],
        axis=2,
    )
    logp -= logp.max(axis=1, keepdims=True)
    post = np.exp(logp) / np.exp(logp).sum(axis=1, keepdims=True)
    section.checks.append(
        Check(
            "predict_proba (row 0)",
            nb.predict_proba(X)[0],
            "Bayes' rule by hand",
            post[0],
            agree(nb.predict_proba(X), post, rtol=1e-8, atol=1e-12),
            "all rows",
        )
    )
    acc = float(np.mean(nb.predict(X) == species))
    section.checks.append(
        Check(
            "training accuracy",
            acc,
            "argmax of the hand posterior",
            float(np.mean(nb.classes_[post.argmax(axis=1)] == species)),
            agree(acc, float(np.mean(nb.classes_[post.argmax(axis=1)] == species))),
        )
    )


SECTIONS = [
    ("PCA: scree plot and 2-D projection", "pca", "PCA", _pca),
    ("Support vector machines: a decision boundary", "svm", "SVC", _svm),
    ("Neural networks: loss curve, confusion matrix, loss landscape", "mlp", "MLPClassifier", _mlp),
    ("Gaussian mixtures: clusters by EM", "gmm", "GaussianMixture", _gmm),
    ("Naive Bayes", "naive-bayes", "GaussianNB", _naive_bayes),
]


def build(ctx):
    """The chapter's sections: pending where the model has not landed, else guarded."""
    from m4ml.report.model import Section

    sections = []
    for title, anchor, class_name, fn in SECTIONS:
        cls = model_class(class_name)
        if cls is None and class_name == "MLPClassifier":
            cls = model_class(class_name, module="m4ml.nn")
        if cls is None:
            sections.append(
                Section(
                    title,
                    anchor,
                    pending=f"m4ml.models.{class_name} has not "
                    "landed yet; this section runs once it does.",
                )
            )
            continue
        sections.append(guarded(title, anchor, lambda s, c, fn=fn, cls=cls: fn(s, c, cls), ctx))
    return sections
