r"""
Vectors: length, angle and projection
=====================================

The inner product :math:`\langle u, v\rangle = \sum_i u_i v_i` gives a vector's length
:math:`\lVert u\rVert = \sqrt{\langle u, u\rangle}`, the angle
:math:`\cos\theta = \langle u, v\rangle / (\lVert u\rVert \lVert v\rVert)` and the projection of
:math:`v` onto :math:`u`, :math:`\frac{\langle u, v\rangle}{\langle u, u\rangle}\,u`, whose
residual is orthogonal to :math:`u`.
"""

import matplotlib.pyplot as plt
import numpy as np

from m4ml import linalg as la

u = np.array([3.0, 1.0])
v = np.array([1.0, 2.0])
p = la.project(v, u)
print("|u| =", la.norm(u))
print("angle(u, v) in degrees:", np.degrees(la.angle(u, v)))
print("projection of v onto u:", p, " residual . u =", la.dot(v - p, u))

fig, ax = plt.subplots(figsize=(4, 4))
for vec, name in [(u, "u"), (v, "v"), (p, "proj")]:
    ax.annotate("", xy=vec, xytext=(0, 0), arrowprops={"arrowstyle": "->"})
    ax.text(*vec, name)
ax.plot([v[0], p[0]], [v[1], p[1]], "k:")
ax.set_xlim(-0.5, 3.5)
ax.set_ylim(-0.5, 3.5)
ax.set_aspect("equal")
