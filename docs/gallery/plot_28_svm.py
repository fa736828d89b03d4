r"""
Kernel SVM on two moons
=======================

An RBF kernel :math:`k(x, y) = \exp(-\gamma\lVert x - y\rVert^2)` lets a linear classifier in
feature space draw a curved boundary in the input space.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml.datasets import make_moons
from m4ml.models import SVC

X, y = make_moons(n_samples=200, noise=0.2, random_state=0)
clf = SVC(kernel="rbf", gamma=2.0, C=1.0).fit(X, y)
print("training accuracy:", clf.score(X, y))
xx, yy = np.meshgrid(np.linspace(-1.5, 2.5, 150), np.linspace(-1, 1.5, 120))
zz = clf.decision_function(np.c_[xx.ravel(), yy.ravel()]).reshape(xx.shape)
fig, ax = plt.subplots()
ax.contourf(xx, yy, zz, levels=20, cmap="RdBu", alpha=0.6)
ax.contour(xx, yy, zz, levels=[0], colors="k")
ax.scatter(X[:, 0], X[:, 1], c=y, cmap="RdBu", edgecolors="k", s=15)
