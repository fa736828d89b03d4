r"""
Principal component analysis of handwritten digits
==================================================

PCA projects onto the top eigenvectors of the covariance (computed from the SVD of the centred
data); two components already separate several digits.
"""

import matplotlib.pyplot as plt

from m4ml.datasets import load_digits
from m4ml.models import PCA

X, y = load_digits(return_X_y=True)
pca = PCA(n_components=10).fit(X)
print("explained variance ratio:", pca.explained_variance_ratio_.round(3))
Z = pca.transform(X)
fig, ax = plt.subplots()
sc = ax.scatter(Z[:, 0], Z[:, 1], c=y, cmap="tab10", s=4)
fig.colorbar(sc, ax=ax)
