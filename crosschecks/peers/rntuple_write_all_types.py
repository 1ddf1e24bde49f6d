"""Writes an RNTuple with ROOT 6.40 (PyROOT, RNTupleWriter) holding every field type and
column encoding Kaon reads: every fundamental type, std::string, vectors (and nested),
std::array, std::bitset, std::optional, std::unique_ptr, std::variant, std::pair,
Real16 (half precision), Real32Trunc, Real32Quant, Double32 (SplitReal32 for a double),
an Index32 collection, and a late model extension (two fields added half way, whose
columns are deferred), over several clusters of small pages.

Usage: rntuple_write_all_types.py OUT.root COMPRESSION ENTRIES
       rntuple_write_all_types.py --read-variant FILE.root
The second form prints ROOT's reading (RNTupleReader) of the variant field `var`, one
`TAG:VALUE` per entry (TAG 1, 2, 3 for int32, float, string), for the fields uproot misreads.
COMPRESSION is ROOT's setting (0 = uncompressed, which also makes ROOT choose unsplit
columns; 505 = zstd level 5, …).
"""
import sys
import ROOT
ROOT.gInterpreter.Declare(r'''
#include <ROOT/RNTupleModel.hxx>
#include <ROOT/RNTupleWriter.hxx>
#include <ROOT/RNTupleWriteOptions.hxx>
#include <ROOT/RField.hxx>
#include <bitset>
#include <optional>
#include <variant>
#include <map>
#include <set>
#include <memory>
void kaon_write_all(const char *path, int compression, int entries) {
  auto model = ROOT::RNTupleModel::Create();
  auto b = model->MakeField<bool>("b");
  auto i8 = model->MakeField<std::int8_t>("i8");
  auto u8 = model->MakeField<std::uint8_t>("u8");
  auto i16 = model->MakeField<std::int16_t>("i16");
  auto u16 = model->MakeField<std::uint16_t>("u16");
  auto i32 = model->MakeField<std::int32_t>("i32");
  auto u32 = model->MakeField<std::uint32_t>("u32");
  auto i64 = model->MakeField<std::int64_t>("i64");
  auto u64 = model->MakeField<std::uint64_t>("u64");
  auto f = model->MakeField<float>("f");
  auto d = model->MakeField<double>("d");
  auto c = model->MakeField<char>("c");
  auto s = model->MakeField<std::string>("s");
  auto vi = model->MakeField<std::vector<std::int32_t>>("vi");
  auto vvf = model->MakeField<std::vector<std::vector<float>>>("vvf");
  auto arr = model->MakeField<std::array<double, 2>>("arr");
  auto bs = model->MakeField<std::bitset<11>>("bs");
  auto opt = model->MakeField<std::optional<float>>("opt");
  auto up = model->MakeField<std::unique_ptr<std::int64_t>>("up");
  auto var = model->MakeField<std::variant<std::int32_t, float, std::string>>("var");
  auto pr = model->MakeField<std::pair<float, std::string>>("pr");
  {
    auto fld = std::make_unique<ROOT::RField<float>>("half"); fld->SetHalfPrecision(); model->AddField(std::move(fld));
    auto t = std::make_unique<ROOT::RField<float>>("trunc"); t->SetTruncated(20); model->AddField(std::move(t));
    auto q = std::make_unique<ROOT::RField<double>>("quant"); q->SetQuantized(12, {-10., 10.}); model->AddField(std::move(q));
    auto d32 = std::make_unique<ROOT::RField<double>>("d32"); d32->SetDouble32(); model->AddField(std::move(d32));
    auto v32 = std::make_unique<ROOT::RField<std::vector<float>>>("v32");
    v32->SetColumnRepresentatives({{ROOT::ENTupleColumnType::kIndex32}});
    model->AddField(std::move(v32));
  }
  ROOT::RNTupleWriteOptions options;
  options.SetCompression(compression);
  options.SetMaxUnzippedPageSize(256);
  options.SetInitialUnzippedPageSize(64);
  auto writer = ROOT::RNTupleWriter::Recreate(std::move(model), "ntuple", path, options);
  auto &entry = writer->GetModel().GetDefaultEntry();
  auto half = entry.GetPtr<float>("half");
  auto trunc = entry.GetPtr<float>("trunc");
  auto quant = entry.GetPtr<double>("quant");
  auto d32 = entry.GetPtr<double>("d32");
  auto v32 = entry.GetPtr<std::vector<float>>("v32");
  std::shared_ptr<float> late;
  std::shared_ptr<std::vector<std::int32_t>> lateVector;
  for (int k = 0; k < entries; ++k) {
    if (k == entries / 2) {
      auto updater = writer->CreateModelUpdater();
      updater->BeginUpdate();
      updater->AddField(std::make_unique<ROOT::RField<float>>("late"));
      updater->AddField(std::make_unique<ROOT::RField<std::vector<std::int32_t>>>("late_vector"));
      updater->CommitUpdate();
      late = writer->GetModel().GetDefaultEntry().GetPtr<float>("late");
      lateVector = writer->GetModel().GetDefaultEntry().GetPtr<std::vector<std::int32_t>>("late_vector");
    }
    *b = k % 3 == 0; *i8 = -k % 100; *u8 = k % 200; *i16 = -7 * k; *u16 = 11 * k; *i32 = -1000 * k + 3;
    *u32 = 4000000000u - k; *i64 = -(std::int64_t(1) << 40) + k; *u64 = (std::uint64_t(1) << 63) + k;
    *f = 0.5f * k - 3.25f; *d = 1e-3 * k * k - 7.0; *c = 'a' + k % 26;
    *s = std::string(k % 7, 'x') + std::to_string(k);
    vi->clear(); for (int j = 0; j < k % 5; ++j) vi->push_back(j * k - 2);
    vvf->clear(); for (int j = 0; j < k % 3; ++j) { vvf->emplace_back(); for (int m = 0; m < j + k % 2; ++m) vvf->back().push_back(0.25f * (j + m + k)); }
    (*arr)[0] = k * 1.5; (*arr)[1] = -k * 2.5;
    *bs = std::bitset<11>(k * 37u);
    if (k % 4) *opt = k * 0.75f; else opt->reset();
    if (k % 3) *up = std::make_unique<std::int64_t>(k * 1000000007ll); else up->reset();
    switch (k % 3) { case 0: *var = std::int32_t(k); break; case 1: *var = float(k) / 8; break; default: *var = std::string("v") + std::to_string(k); }
    *pr = {k * 0.125f, std::to_string(k * k)};
    *half = 0.1f * k - 5.f; *trunc = 3.14159f * k - 100.f; *quant = -9.5 + 0.07 * k; *d32 = 1.0 / (k + 1);
    v32->clear(); for (int j = 0; j < k % 4; ++j) v32->push_back(j + 0.5f * k);
    if (late) { *late = 2.5f * k; lateVector->clear(); for (int j = 0; j < k % 3; ++j) lateVector->push_back(j - k); }
    writer->Fill();
    if (k % 37 == 36) writer->CommitCluster();
  }
}
''')
ROOT.gInterpreter.Declare(r'''
#include <ROOT/RNTupleReader.hxx>
#include <sstream>
std::string kaon_read_variant(const char *path) {
  auto reader = ROOT::RNTupleReader::Open("ntuple", path);
  auto view = reader->GetView<std::variant<std::int32_t, float, std::string>>("var");
  std::ostringstream out;
  out.precision(9);
  for (auto i : reader->GetEntryRange()) {
    const auto &value = view(i);
    out << value.index() + 1 << ':';
    std::visit([&out](const auto &x) { out << x; }, value);
    out << '\n';
  }
  return out.str();
}
''')
if sys.argv[1] == "--read-variant":
    print(str(ROOT.kaon_read_variant(sys.argv[2])), end="")
else:
    ROOT.kaon_write_all(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
