r"""
Linear regression and ridge
===========================

Ridge regression minimizes :math:`\lVert y - Xw\rVert^2 + \alpha\lVert w\rVert^2`; as
:math:`\alpha` grows the coefficients shrink towards zero, trading variance for bias.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.datasets import load_diabetes
from m4ml.models import LinearRegression, Ridge

X, y = load_diabetes(return_X_y=True)
alphas = np.logspace(-3, 3, 30)
coefs = np.array([Ridge(alpha=a).fit(X, y).coef_ for a in alphas])
print("least-squares R^2:", round(LinearRegression().fit(X, y).score(X, y), 4))
fig, ax = plt.subplots()
ax.semilogx(alphas, coefs)
ax.set_xlabel("alpha")
ax.set_ylabel("coefficients")
