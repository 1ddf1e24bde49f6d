// An analysis is written against the object view (events, muons, jets), histograms and the
// engine's samples and run options; importing KaonAnalysis alone gives all of them.
@_exported import KaonEngine
@_exported import KaonHist
@_exported import KaonNano
