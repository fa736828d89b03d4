r"""Naive Bayes for counts and categories: multinomial, complement, Bernoulli, categorical.

Each model keeps per-class sufficient statistics (feature counts), smooths them with a
pseudo-count :math:`\alpha` (Laplace for :math:`\alpha = 1`, Lidstone below), and predicts with
the joint log-likelihood :math:`\log \pi_k + \sum_j \log p(x_j \mid k)`, normalized in log space
by :class:`m4ml.models.naive_bayes._BaseNB`. ``fit`` is one product of the (weighted) one-hot
class matrix with ``X``, :math:`O(n d K)`; ``partial_fit`` adds a batch's counts.
"""

import numpy as np

from m4ml._core.hints import ArrayLike
from m4ml.models._discrete_nb import _check_non_negative, _DiscreteNB

__all__ = ["BernoulliNB", "CategoricalNB", "ComplementNB", "MultinomialNB"]


class MultinomialNB(_DiscreteNB):
    r"""Multinomial naive Bayes for counts (word counts, tf-idf).

    Parameters
    ----------
    alpha : float or array_like of shape (n_features,), default 1.0
        Additive smoothing pseudo-count.
    force_alpha : bool, default True
        Keep an ``alpha`` below 1e-10 (otherwise it is raised to 1e-10 with a warning).
    fit_prior : bool, default True
        Learn class priors from the class counts; ``False`` uses a uniform prior.
    class_prior : array_like, shape (n_classes,), optional
        Fixed priors.

    Attributes
    ----------
    classes_, class_count_, class_log_prior_ : ndarray, shape (n_classes,)
    feature_count_, feature_log_prob_ : ndarray, shape (n_classes, n_features)

    Raises
    ------
    ValueError
        Negative entries in ``X`` (a count model), a single class, NaN/inf.

    Notes
    -----
    Class :math:`k` draws the features of a document from one categorical distribution
    :math:`\theta_k`; its likelihood is :math:`\prod_j \theta_{kj}^{x_j}` (up to the multinomial
    coefficient, which does not depend on :math:`k`), maximized with smoothing by

    .. math:: \hat\theta_{kj} = \frac{N_{kj} + \alpha}{N_k + \alpha d}, \qquad
              \log p(x, k) = \log \pi_k + \sum_j x_j \log \hat\theta_{kj},

    one matrix product at prediction.

    Examples
    --------
    >>> import numpy as np
    >>> from m4ml.models import MultinomialNB
    >>> X = np.array([[2, 1, 0], [3, 0, 0], [0, 1, 4], [0, 2, 3]])
    >>> clf = MultinomialNB().fit(X, [0, 0, 1, 1])
    >>> clf.predict([[1, 0, 0], [0, 0, 1]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        *,
        alpha: float | ArrayLike = 1.0,
        force_alpha: bool = True,
        fit_prior: bool = True,
        class_prior: ArrayLike | None = None,
    ):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def _check_values(self, X):
        return _check_non_negative(X, type(self).__name__)

    def _count(self, X, Y):
        self.feature_count_ += Y.T @ X

    def _update_feature_log_prob(self, alpha):
        smoothed = self.feature_count_ + alpha
        self.feature_log_prob_ = np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))

    def _joint_log_likelihood(self, X):
        return X @ self.feature_log_prob_.T + self.class_log_prior_


class ComplementNB(MultinomialNB):
    r"""Complement naive Bayes: weights estimated from the *other* classes (Rennie et al.).

    Parameters are those of :class:`MultinomialNB` plus ``norm`` (bool, default False:
    normalize the weights to unit L1 norm per class, as in the paper's final step).

    Attributes
    ----------
    feature_all_ : ndarray, shape (n_features,)
        Total count of each feature.

    Notes
    -----
    With complement counts :math:`\tilde N_{kj} = \sum_{c \ne k} N_{cj}`,
    :math:`\tilde\theta_{kj} = (\tilde N_{kj} + \alpha) / \sum_j (\tilde N_{kj} + \alpha)` and the
    class score is :math:`-\sum_j x_j \log\tilde\theta_{kj}`: a class wins when the document
    is unlikely under the other classes. The estimate uses more data per class, which helps on
    imbalanced text. The prior enters only when there is a single class, as in scikit-learn.

    References
    ----------
    .. [1] J. Rennie, L. Shih, J. Teevan and D. Karger, "Tackling the poor assumptions of naive
       Bayes text classifiers", ICML 2003.

    Examples
    --------
    >>> from m4ml.models import ComplementNB
    >>> X = [[2, 1, 0], [3, 0, 0], [0, 1, 4], [0, 2, 3]]
    >>> ComplementNB().fit(X, [0, 0, 1, 1]).predict([[1, 0, 0]]).tolist()
    [0]
    """

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        force_alpha: bool = True,
        fit_prior: bool = True,
        class_prior: ArrayLike | None = None,
        norm: bool = False,
    ):
        super().__init__(
            alpha=alpha, force_alpha=force_alpha, fit_prior=fit_prior, class_prior=class_prior
        )
        self.norm = norm

    def _count(self, X, Y):
        self.feature_count_ += Y.T @ X
        self.feature_all_ = self.feature_count_.sum(axis=0)

    def _update_feature_log_prob(self, alpha):
        comp = self.feature_all_ + alpha - self.feature_count_
        logged = np.log(comp / comp.sum(axis=1, keepdims=True))
        self.feature_log_prob_ = (
            logged / logged.sum(axis=1, keepdims=True) if self.norm else -logged
        )

    def _joint_log_likelihood(self, X):
        jll = X @ self.feature_log_prob_.T
        return jll + self.class_log_prior_ if self.classes_.size == 1 else jll


class BernoulliNB(_DiscreteNB):
    r"""Bernoulli naive Bayes for binary features (word present / absent).

    Parameters
    ----------
    alpha, force_alpha, fit_prior, class_prior
        As in :class:`MultinomialNB`.
    binarize : float or None, default 0.0
        Threshold: features are ``x > binarize``; ``None`` means ``X`` is already binary.

    Notes
    -----
    Each feature is a coin with class-dependent bias :math:`p_{kj} = (N_{kj} + \alpha) / (N_k +
    2\alpha)`; unlike the multinomial model an absent feature counts as evidence:

    .. math:: \log p(x, k) = \log\pi_k + \sum_j \bigl[x_j \log p_{kj} + (1 - x_j)\log(1 - p_{kj})
              \bigr].

    :math:`\log(1 - p_{kj})` is computed from the counts, :math:`\log(N_k - N_{kj} + \alpha) -
    \log(N_k + 2\alpha)`, not by subtracting from one.

    Examples
    --------
    >>> from m4ml.models import BernoulliNB
    >>> X = [[1, 1, 0], [1, 0, 0], [0, 1, 1], [0, 0, 1]]
    >>> BernoulliNB().fit(X, ["a", "a", "b", "b"]).predict([[1, 0, 0]]).tolist()
    ['a']
    """

    _positive_only = False  # any real X is binarized at the threshold

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        force_alpha: bool = True,
        binarize: float | None = 0.0,
        fit_prior: bool = True,
        class_prior: ArrayLike | None = None,
    ):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.binarize = binarize
        self.fit_prior = fit_prior
        self.class_prior = class_prior

    def _check_values(self, X):
        return X if self.binarize is None else (X > self.binarize).astype(np.float64)

    def _count(self, X, Y):
        self.feature_count_ += Y.T @ X

    def _update_feature_log_prob(self, alpha):
        denom = np.log(self.class_count_ + 2.0 * alpha)[:, None]
        self.feature_log_prob_ = np.log(self.feature_count_ + alpha) - denom
        self._neg_log_prob = (
            np.log(self.class_count_[:, None] - self.feature_count_ + alpha) - denom
        )

    def _joint_log_likelihood(self, X):
        neg = self._neg_log_prob
        jll = X @ (self.feature_log_prob_ - neg).T
        return jll + (self.class_log_prior_ + neg.sum(axis=1))


class CategoricalNB(_DiscreteNB):
    r"""Categorical naive Bayes: each feature is a category code 0, 1, ..., with its own law.

    Parameters
    ----------
    alpha, force_alpha, fit_prior, class_prior
        As in :class:`MultinomialNB`.
    min_categories : int or array_like of shape (n_features,), optional
        Minimum number of categories per feature (for codes absent from the training data).

    Attributes
    ----------
    category_count_, feature_log_prob_ : list of ndarray, each (n_classes, n_categories_j)
    n_categories_ : ndarray of int, shape (n_features,)

    Notes
    -----
    :math:`p(x_j = c \mid k) = (N_{kjc} + \alpha) / (N_k + \alpha m_j)` for feature :math:`j`
    with :math:`m_j` categories; :math:`\log p(x, k) = \log\pi_k + \sum_j \log p(x_j \mid k)` is
    a table look-up per feature. Codes are cast to integers by truncation, as scikit-learn
    does (so 2.7 is category 2); a code above those seen at fit raises ``ValueError``.

    Examples
    --------
    >>> from m4ml.models import CategoricalNB
    >>> X = [[0, 2], [0, 1], [1, 0], [1, 0]]
    >>> CategoricalNB().fit(X, [0, 0, 1, 1]).predict([[0, 1], [1, 0]]).tolist()
    [0, 1]
    """

    def __init__(
        self,
        *,
        alpha: float = 1.0,
        force_alpha: bool = True,
        fit_prior: bool = True,
        class_prior: ArrayLike | None = None,
        min_categories: int | ArrayLike | None = None,
    ):
        self.alpha = alpha
        self.force_alpha = force_alpha
        self.fit_prior = fit_prior
        self.class_prior = class_prior
        self.min_categories = min_categories

    def _check_values(self, X):
        return _check_non_negative(X, type(self).__name__).astype(np.intp)

    def _init_counters(self, n_classes, n_features):
        self.class_count_ = np.zeros(n_classes)
        self.category_count_ = [np.zeros((n_classes, 0)) for _ in range(n_features)]
        self.n_categories_ = np.zeros(n_features, dtype=np.intp)

    def _n_categories(self, X):
        seen = X.max(axis=0) + 1 if X.size else np.zeros(X.shape[1], dtype=np.intp)
        m = self.min_categories
        if m is None:
            return np.maximum(seen, self.n_categories_)
        m_arr = np.asarray(m)
        if m_arr.dtype.kind not in "iu" or (
            (m_arr.ndim and m_arr.shape != (X.shape[1],)) or isinstance(m, bool)
        ):
            raise ValueError(
                "min_categories must be an int or an array of ints of shape "
                f"(n_features,) = ({X.shape[1]},), got {m!r}"
            )
        return np.maximum(np.maximum(seen, m_arr), self.n_categories_)

    def _count(self, X, Y):
        self.n_categories_ = self._n_categories(X)
        for j in range(X.shape[1]):
            m = int(self.n_categories_[j])
            old = self.category_count_[j]
            counts = np.zeros((Y.shape[1], m))
            counts[:, : old.shape[1]] = old
            for k in range(Y.shape[1]):
                counts[k] += np.bincount(X[:, j], weights=Y[:, k], minlength=m)
            self.category_count_[j] = counts

    def _update_feature_log_prob(self, alpha):
        if alpha.ndim:
            raise ValueError("CategoricalNB takes a scalar alpha")
        self.feature_log_prob_ = []
        for counts in self.category_count_:
            smoothed = counts + alpha
            self.feature_log_prob_.append(
                np.log(smoothed) - np.log(smoothed.sum(axis=1, keepdims=True))
            )

    def _joint_log_likelihood(self, X):
        too_big = X >= self.n_categories_
        if too_big.any():
            j = int(np.flatnonzero(too_big.any(axis=0))[0])
            raise ValueError(
                f"Feature {j} has category {int(X[:, j].max())}, unseen at fit (the model knows "
                f"{int(self.n_categories_[j])} categories); set min_categories to allow it"
            )
        jll = np.zeros((X.shape[0], self.classes_.size))
        for j, table in enumerate(self.feature_log_prob_):
            jll += table[:, X[:, j]].T
        return jll + self.class_log_prior_
