// The eight ADL queries as C++ functions over one event's RVecs, for RDataFrame (compiled in
// adl_rdf.cxx, or declared to cling from Python by the peer test). Every function returns
// the values to fill (none, one, or one per object) so that each query is one Define and
// one Histo1D. Written from the rules in shared/notes/adl-benchmark.md.
#pragma once
#include <ROOT/RVec.hxx>
#include <Math/Vector4D.h>
#include <cmath>
#include <limits>

namespace adl {
using ROOT::RVecD;
using ROOT::RVecF;
using ROOT::RVecI;
using P4 = ROOT::Math::PtEtaPhiMVector;

inline RVecD q3(const RVecF &pt, const RVecF &eta) {
    RVecD out;
    for (size_t i = 0; i < pt.size(); ++i) if (std::abs(eta[i]) < 1) out.push_back(pt[i]);
    return out;
}

inline RVecD q4(const RVecF &pt, float met) {
    int hard = 0;
    for (auto p : pt) if (p > 40) ++hard;
    return hard >= 2 ? RVecD{met} : RVecD{};
}

inline RVecD q5(const RVecF &pt, const RVecF &eta, const RVecF &phi, const RVecF &mass, const RVecI &charge, float met) {
    for (size_t i = 0; i < pt.size(); ++i)
        for (size_t j = i + 1; j < pt.size(); ++j) {
            if (charge[i] == charge[j]) continue;
            double m = (P4(pt[i], eta[i], phi[i], mass[i]) + P4(pt[j], eta[j], phi[j], mass[j])).M();
            if (m > 60 && m < 120) return RVecD{met};
        }
    return RVecD{};
}

// {pt, max btag} of the trijet with mass closest to 172.5 GeV; empty with < 3 jets.
inline RVecD q6(const RVecF &pt, const RVecF &eta, const RVecF &phi, const RVecF &mass, const RVecF &btag) {
    const size_t n = pt.size();
    if (n < 3) return RVecD{};
    std::vector<ROOT::Math::PxPyPzEVector> p(n);
    for (size_t i = 0; i < n; ++i) p[i] = P4(pt[i], eta[i], phi[i], mass[i]);
    double best = std::numeric_limits<double>::infinity();
    size_t bi = 0, bj = 1, bk = 2;
    double bestPt = 0;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j)
            for (size_t k = j + 1; k < n; ++k) {
                auto sum = p[i] + p[j] + p[k];
                double d = std::abs(sum.M() - 172.5);
                if (d < best) { best = d; bi = i; bj = j; bk = k; bestPt = sum.Pt(); }
            }
    return RVecD{bestPt, std::max({btag[bi], btag[bj], btag[bk]})};
}

inline double deltaR(double eta1, double phi1, double eta2, double phi2) {
    double dphi = std::remainder(phi1 - phi2, 2 * M_PI);
    return std::sqrt((eta1 - eta2) * (eta1 - eta2) + dphi * dphi);
}

inline RVecD q7(const RVecF &jpt, const RVecF &jeta, const RVecF &jphi, const RVecF &mpt, const RVecF &meta,
                const RVecF &mphi, const RVecF &ept, const RVecF &eeta, const RVecF &ephi, bool fillZero) {
    double sum = 0;
    for (size_t i = 0; i < jpt.size(); ++i) {
        if (!(jpt[i] > 30)) continue;
        bool isolated = true;
        for (size_t m = 0; m < mpt.size() && isolated; ++m)
            if (mpt[m] > 10 && deltaR(jeta[i], jphi[i], meta[m], mphi[m]) < 0.4) isolated = false;
        for (size_t e = 0; e < ept.size() && isolated; ++e)
            if (ept[e] > 10 && deltaR(jeta[i], jphi[i], eeta[e], ephi[e]) < 0.4) isolated = false;
        if (isolated) sum += jpt[i];
    }
    return (sum != 0 || fillZero) ? RVecD{sum} : RVecD{};
}

inline RVecD q8(const RVecF &mpt, const RVecF &meta, const RVecF &mphi, const RVecF &mmass, const RVecI &mq,
                const RVecF &ept, const RVecF &eeta, const RVecF &ephi, const RVecF &emass, const RVecI &eq,
                float met, float metPhi) {
    const size_t nm = mpt.size(), n = nm + ept.size();
    if (n < 3) return RVecD{};
    // Muons first, then electrons.
    auto lep = [&](size_t i) { return i < nm ? P4(mpt[i], meta[i], mphi[i], mmass[i]) : P4(ept[i - nm], eeta[i - nm], ephi[i - nm], emass[i - nm]); };
    auto charge = [&](size_t i) { return i < nm ? mq[i] : eq[i - nm]; };
    double best = std::numeric_limits<double>::infinity();
    long bi = -1, bj = -1;
    for (size_t i = 0; i < n; ++i)
        for (size_t j = i + 1; j < n; ++j) {
            if ((i < nm) != (j < nm) || charge(i) == charge(j)) continue;
            double d = std::abs((lep(i) + lep(j)).M() - 91.2);
            if (d < best) { best = d; bi = i; bj = j; }
        }
    if (bi < 0) return RVecD{};
    long other = -1;
    for (size_t k = 0; k < n; ++k) {
        if ((long)k == bi || (long)k == bj) continue;
        if (other < 0 || lep(k).Pt() > lep(other).Pt()) other = k;
    }
    auto l = lep(other);
    return RVecD{std::sqrt(2 * l.Pt() * met * (1 - std::cos(metPhi - l.Phi())))};
}
}  // namespace adl
