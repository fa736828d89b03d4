r"""
Clustering: k-means and Gaussian mixtures
=========================================

k-means alternates assignment and centroid steps (Lloyd); a Gaussian mixture fitted by EM gives
soft assignments and elliptical clusters.
"""

import matplotlib.pyplot as plt

from m4ml.datasets import make_blobs
from m4ml.models import GaussianMixture, KMeans

X, _ = make_blobs(n_samples=600, centers=3, cluster_std=[1.0, 2.0, 0.5], random_state=4)
km = KMeans(n_clusters=3, random_state=0, n_init=3).fit(X)
gm = GaussianMixture(n_components=3, random_state=0).fit(X)
print("k-means inertia:", round(km.inertia_, 2))
print("mixture weights:", gm.weights_.round(3))
fig, axes = plt.subplots(1, 2, figsize=(9, 4))
axes[0].scatter(X[:, 0], X[:, 1], c=km.labels_, s=5)
axes[0].set_title("k-means")
axes[1].scatter(X[:, 0], X[:, 1], c=gm.predict(X), s=5)
axes[1].set_title("Gaussian mixture")
