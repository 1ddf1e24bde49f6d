"""`kaon diffcut` (the differentiable-analysis example) against numpy: the same toy sample
regenerated here (SplitMix64 + Box–Muller), the significance Z0(c) and its derivative
computed in closed form with numpy, and gradient ascent improving the cut."""
import numpy as np

from conftest import kaon_json

MASK = (1 << 64) - 1


def splitmix_uniforms(seed, n):
    out = np.empty(n)
    state = seed
    for i in range(n):
        state = (state + 0x9E3779B97F4A7C15) & MASK
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        out[i] = ((z ^ (z >> 31)) >> 11) * 2.0**-53
    return out


def toy(seed, n_sig=4000, n_bkg=16000):
    """(x, m) of signal and background, drawn in Kaon's order from one stream."""
    u = iter(splitmix_uniforms(seed, 4 * n_sig + 2 * n_bkg))
    def normal():
        a = next(u)
        b = next(u)
        return np.sqrt(-2 * np.log(1 - a)) * np.cos(2 * np.pi * b)
    sig = []
    for _ in range(n_sig):
        x = 3 + normal()
        m = 5 + 0.6 * normal()
        sig.append((x, m))
    bkg = []
    for _ in range(n_bkg):
        x = -np.log(1 - next(u))
        m = 10 * next(u)
        bkg.append((x, m))
    return np.array(sig), np.array(bkg)


def z0_and_derivative(sig, bkg, cut, width=0.25, ws=60 / 4000, wb=3000 / 16000):
    def hist(events, w):
        x, m = events[:, 0], events[:, 1]
        inside = (m >= 0) & (m < 10)
        bins = m[inside].astype(int)
        sgm = 1 / (1 + np.exp(-(x[inside] - cut) / width))
        dsgm = -sgm * (1 - sgm) / width
        return w * np.bincount(bins, sgm, 10), w * np.bincount(bins, dsgm, 10)
    s, ds = hist(sig, ws)
    b, db = hist(bkg, wb)
    ok = b > 0
    s, ds, b, db = s[ok], ds[ok], b[ok], db[ok]
    z2 = np.sum(2 * ((s + b) * np.log1p(s / b) - s))
    # d/dc of 2((s+b) ln(1+s/b) − s) = 2(ds ln(1+s/b) + db (ln(1+s/b) − s/b))
    dz2 = np.sum(2 * (ds * np.log1p(s / b) + db * (np.log1p(s / b) - s / b)))
    z = np.sqrt(z2)
    return z, dz2 / (2 * z)


def test_significance_and_gradient_match_numpy():
    result = kaon_json("diffcut", "--seed", 5, "--start", 0.8, "--steps", 25, "--json")
    sig, bkg = toy(5)
    z, dz = z0_and_derivative(sig, bkg, 0.8)
    first = result["steps"][0]
    assert abs(first["significance"] - z) <= 1e-9 * z
    assert abs(result["derivative"] - dz) <= 1e-8 * abs(dz)
    assert abs(result["finite_difference"] - dz) <= 1e-4 * abs(dz)
    last = result["steps"][-1]
    z_last, dz_last = z0_and_derivative(sig, bkg, last["cut"])
    assert last["significance"] == z_last or abs(last["significance"] - z_last) <= 1e-9 * z_last
    assert z_last > z * 1.05
    assert abs(dz_last) < abs(dz) / 10
