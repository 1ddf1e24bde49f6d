// KaonWrite: writing ROOT files that ROOT and uproot read.
//
// - `ROOTFileWriter`: a new file (atomic: temporary name, renamed on close), directories,
//   keys, the StreamerInfo ROOT generated (`StreamerRecords`, from tools/extract_streamers.py),
//   keys lists, free list, small and big (> 2 GB) layouts.
// - `WritableHistogram` + `ROOTFileWriter.write(_:to:)`: TH1D, TH2D, TH3D, labelled axes,
//   TProfile; the `<dir>/<name>__<cat1>__<cat2>` convention for category axes.
// - `TreeWriter`: TTrees with scalar, fixed-array, counted-array (`x[n]`), leaf-list,
//   std::vector (numbers, strings), std::vector<std::vector> (numbers) and char* branches;
//   baskets sized to one cluster per branch (or a given size), clusters by entries (bounded
//   memory); baskets compressed on every core, written in a fixed order (same bytes).
// - `RNTupleWriter`: the same branch specs and values as an RNTuple (format 1.0): fields as
//   RNTupleImporter makes them (`RNTupleSchema`), ROOT's default column encodings
//   (`RNTuplePageEncoding`), envelopes with checksums (`RNTupleSerializer`), clusters by size.
// - `ROOTCopier`: copy and hadd-like merge through Kaon's reader (`kaon copy`, `kaon merge`).
// - Compression is KaonIO's `Compressor` (ZLIB, LZMA, LZ4, ZSTD in ROOT's block framing).
