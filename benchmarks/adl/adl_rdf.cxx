// The ADL queries as a compiled RDataFrame program (the peer of `kaon adl` in run.py): the
// selected queries (default all eight) in one event loop. Prints one JSON line: events,
// seconds and cpu_seconds (of the event loop alone), counts with flow of the booked
// histograms. Defines are lazy: a query alone computes only its own columns.
// Every action is typed (Histo1D<T>): nothing is left to the interpreter to compile.
// Build: g++ -O2 adl_rdf.cxx $(root-config --cflags --libs) -o adl_rdf
// Usage: adl_rdf FILE root-project|paper THREADS [all|q1,q2,…]
#include "adl_queries.h"
#include <ROOT/RDataFrame.hxx>
#include <TH1D.h>
#include <chrono>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <sys/resource.h>

// User plus system CPU seconds of the process (all threads).
static double cpuSeconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return u.ru_utime.tv_sec + u.ru_stime.tv_sec + 1e-6 * (u.ru_utime.tv_usec + u.ru_stime.tv_usec);
}

int main(int argc, char **argv) {
    if (argc != 4 && argc != 5) { std::fprintf(stderr, "usage: adl_rdf FILE root-project|paper THREADS [all|q1,q2,...]\n"); return 2; }
    std::set<std::string> chosen;
    std::stringstream list(argc == 5 ? argv[4] : "all");
    for (std::string q; std::getline(list, q, ',');) chosen.insert(q);
    auto wants = [&](const char *q) { return chosen.count("all") || chosen.count(q); };
    const bool paper = std::string(argv[2]) == "paper";
    const int threads = std::stoi(argv[3]);
    if (threads > 1) ROOT::EnableImplicitMT(threads);
    ROOT::RDataFrame df("Events", argv[1]);
    const double metHigh = paper ? 2000 : 200;
    auto d = df.Define("q3", adl::q3, {"Jet_pt", "Jet_eta"})
                 .Define("q4", adl::q4, {"Jet_pt", "MET_pt"})
                 .Define("q5", adl::q5, {"Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge", "MET_pt"})
                 .Define("q6", adl::q6, {"Jet_pt", "Jet_eta", "Jet_phi", "Jet_mass", "Jet_btag"})
                 .Define("q6pt", [](const ROOT::RVecD &v) { return v.empty() ? ROOT::RVecD{} : ROOT::RVecD{v[0]}; }, {"q6"})
                 .Define("q6btag", [](const ROOT::RVecD &v) { return v.empty() ? ROOT::RVecD{} : ROOT::RVecD{v[1]}; }, {"q6"})
                 .Define("q7", [paper](const ROOT::RVecF &a, const ROOT::RVecF &b, const ROOT::RVecF &c, const ROOT::RVecF &d,
                                       const ROOT::RVecF &e, const ROOT::RVecF &f, const ROOT::RVecF &g, const ROOT::RVecF &h,
                                       const ROOT::RVecF &i) { return adl::q7(a, b, c, d, e, f, g, h, i, paper); },
                         {"Jet_pt", "Jet_eta", "Jet_phi", "Muon_pt", "Muon_eta", "Muon_phi", "Electron_pt", "Electron_eta", "Electron_phi"})
                 .Define("q8", adl::q8, {"Muon_pt", "Muon_eta", "Muon_phi", "Muon_mass", "Muon_charge", "Electron_pt",
                                         "Electron_eta", "Electron_phi", "Electron_mass", "Electron_charge", "MET_pt", "MET_phi"});
    std::map<std::string, ROOT::RDF::RResultPtr<TH1D>> h;
    if (wants("q1")) h["q1"] = d.Histo1D<float>({"q1", "", 100, 0, metHigh}, "MET_pt");
    if (wants("q2")) h["q2"] = d.Histo1D<ROOT::RVecF>({"q2", "", 100, 15, 60}, "Jet_pt");
    if (wants("q3")) h["q3"] = d.Histo1D<ROOT::RVecD>({"q3", "", 100, 15, 60}, "q3");
    if (wants("q4")) h["q4"] = d.Histo1D<ROOT::RVecD>({"q4", "", 100, 0, metHigh}, "q4");
    if (wants("q5")) h["q5"] = d.Histo1D<ROOT::RVecD>({"q5", "", 100, 0, metHigh}, "q5");
    if (wants("q6")) {
        h["q6pt"] = d.Histo1D<ROOT::RVecD>({"q6pt", "", 100, 15, 40}, "q6pt");
        h["q6btag"] = d.Histo1D<ROOT::RVecD>({"q6btag", "", 100, 0, 1}, "q6btag");
    }
    if (wants("q7")) h["q7"] = d.Histo1D<ROOT::RVecD>({"q7", "", 100, 15, 200}, "q7");
    if (wants("q8")) h["q8"] = d.Histo1D<ROOT::RVecD>({"q8", "", 100, paper ? 15.0 : 0.0, paper ? 250.0 : 200.0}, "q8");
    auto events = d.Count();
    // "seconds" is the event loop alone (it runs on the first access to a result): the
    // libraries' and dictionaries' loading is start-up, measured by the caller's wall time.
    auto start = std::chrono::steady_clock::now();
    double cpuStart = cpuSeconds();
    std::string json = "{\"events\": " + std::to_string(*events);
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    double cpu = cpuSeconds() - cpuStart;
    json += ", \"seconds\": " + std::to_string(seconds) + ", \"cpu_seconds\": " + std::to_string(cpu) + ", \"counts\": {";
    const char *order[] = {"q1", "q2", "q3", "q4", "q5", "q6pt", "q6btag", "q7", "q8"};
    bool first = true;
    for (int k = 0; k < 9; ++k) {
        if (!h.count(order[k])) continue;
        json += std::string(first ? "" : ", ") + "\"" + order[k] + "\": [";
        first = false;
        for (int b = 0; b <= 101; ++b) json += (b ? ", " : "") + std::to_string((long long)h[order[k]]->GetBinContent(b));
        json += "]";
    }
    std::printf("%s}}\n", json.c_str());
}
