#include "report/group_features.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "report/text_shingles.h"

namespace jszb::core {

namespace {

// How many requests have each shingle.
using Counts = absl::flat_hash_map<std::uint64_t, std::uint32_t>;

// The address without the district and street it was placed in: they say
// which area, not which place in it ("朝阳区安贞街道外馆" is "外馆").
std::string without_area(const GroupInput& in) {
  std::string address(in.address);
  auto erase = [&address](std::string_view name) {
    if (name.empty()) return;
    for (std::size_t at = address.find(name); at != std::string::npos; at = address.find(name)) {
      address.erase(at, name.size());
    }
  };
  // Whole names only: "八里庄街道", never "八里庄", which begins the name of
  // the estate 八里庄北里.
  erase(in.district);
  erase(in.street);
  // An operator writes the area first ("朝阳区六里屯街道八里庄北里"), and the
  // street named may be the next one over from where the request was placed:
  // everything up to a street's 街道 or 地区 is area, not place.
  for (std::string_view word : {"街道", "地区"}) {
    std::size_t at = address.rfind(word);
    if (at != std::string::npos) address.erase(0, at + word.size());
  }
  return address;
}

// The shingles that say something, weighted by how rare they are.
Weighted weigh(const std::vector<std::uint64_t>& keys, const Counts& df, double n, double common) {
  Weighted w;
  for (std::uint64_t k : keys) {
    auto it = df.find(k);
    double count = it == df.end() ? 1.0 : it->second;
    if (count > common) continue;
    w.add(k, static_cast<float>(std::log(1.0 + n / count)));
  }
  return w;
}

}  // namespace

void Weighted::add(std::uint64_t key, float weight) {
  keys.push_back(key);
  weights.push_back(weight);
  total += weight;
  norm2 += static_cast<double>(weight) * weight;
}

std::uint64_t hash_text(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char ch : s) h = (h ^ ch) * 0x100000001b3ULL;
  return mix64(h);
}

namespace {

// The batch's place names, found again in the texts that name them.
class PlaceNames {
 public:
  void add(const std::u32string& name) {
    if (known_.insert(hash_chars(name)).second) by_start_[start(name)].push_back(name);
  }
  // The names a text holds, longest first at each position ("八里庄北里东"
  // is not also "八里庄北里"), as hashes, ascending.
  std::vector<std::uint64_t> in(const std::u32string& text) const {
    std::vector<std::uint64_t> out;
    for (std::size_t i = 0; i + 1 < text.size();) {
      auto it = by_start_.find(start(std::u32string_view(text).substr(i, 2)));
      std::size_t best = 0;
      if (it != by_start_.end()) {
        for (const std::u32string& name : it->second) {
          if (name.size() > best && text.compare(i, name.size(), name) == 0) best = name.size();
        }
      }
      if (best > 0) {
        out.push_back(hash_chars(std::u32string_view(text).substr(i, best)));
        i += best;
      } else {
        ++i;
      }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

 private:
  static std::uint64_t start(std::u32string_view name) { return hash_chars(name.substr(0, 2)); }
  absl::flat_hash_set<std::uint64_t> known_;
  absl::flat_hash_map<std::uint64_t, std::vector<std::u32string>> by_start_;
};

}  // namespace

std::vector<Features> describe(const std::vector<GroupInput>& requests, const GroupOptions& o) {
  const std::size_t n = requests.size();
  std::vector<std::vector<std::uint64_t>> words(n), places(n);
  // The batch's addresses: their names, and their shingles as written, which
  // say where, not what ("光熙门北里南" in a text leaves the words, "熙门" too).
  PlaceNames names;
  absl::flat_hash_set<std::uint64_t> address_as_written;
  for (std::size_t r = 0; r < n; ++r) {
    std::string address = without_area(requests[r]);
    for (const std::u32string& name : address_names(address)) {
      names.add(name);
      places[r].push_back(hash_chars(name));
    }
    for (std::uint64_t s : shingles(address, 2)) address_as_written.insert(s);
  }
  Counts word_df, place_df;
  for (std::size_t r = 0; r < n; ++r) {
    // The places the text names join the address's.
    for (std::uint64_t name : names.in(meaningful_chars(requests[r].text))) {
      places[r].push_back(name);
    }
    std::sort(places[r].begin(), places[r].end());
    places[r].erase(std::unique(places[r].begin(), places[r].end()), places[r].end());
    for (std::uint64_t s : shingles(requests[r].text, 2)) {
      if (!address_as_written.contains(s)) words[r].push_back(s);
    }
    for (std::uint64_t s : words[r]) ++word_df[s];
    for (std::uint64_t s : places[r]) ++place_df[s];
  }
  const double total = static_cast<double>(n);
  const double common = std::max(o.max_common * total, static_cast<double>(o.common_floor));
  // A name in a twentieth of the batch (the district's, when an address
  // repeats it) says nothing about which place.
  const double common_place = std::max(0.05 * total, static_cast<double>(o.common_floor));
  std::vector<Features> out(n);
  for (std::size_t r = 0; r < n; ++r) {
    Features& f = out[r];
    f.words = weigh(words[r], word_df, total, common);
    f.place = weigh(places[r], place_df, total, common_place);
    f.scope = hash_text(requests[r].scope);
    f.category1 = hash_text(requests[r].category1);
    f.category2 = hash_text(requests[r].category2);
  }
  return out;
}

namespace {

// Calls shared(weight_a, weight_b) for each key both sets hold.
template <class Shared>
void for_shared(const Weighted& a, const Weighted& b, Shared shared) {
  std::size_t i = 0, j = 0;
  while (i < a.keys.size() && j < b.keys.size()) {
    if (a.keys[i] < b.keys[j]) {
      ++i;
    } else if (b.keys[j] < a.keys[i]) {
      ++j;
    } else {
      shared(a.weights[i], b.weights[j]);
      ++i;
      ++j;
    }
  }
}

}  // namespace

double weighted_jaccard(const Weighted& a, const Weighted& b) {
  double shared = 0;
  for_shared(a, b, [&](float x, float) { shared += x; });
  double all = a.total + b.total - shared;
  return all > 0 ? shared / all : 0.0;
}

double cosine(const Weighted& a, const Weighted& b) {
  if (a.norm2 <= 0 || b.norm2 <= 0) return 0.0;
  double dot = 0;
  for_shared(a, b, [&](float x, float y) { dot += static_cast<double>(x) * y; });
  return dot / std::sqrt(a.norm2 * b.norm2);
}

Weighted sum_of(const std::vector<const Weighted*>& sets) {
  absl::flat_hash_map<std::uint64_t, float> sum;
  for (const Weighted* w : sets) {
    for (std::size_t i = 0; i < w->keys.size(); ++i) sum[w->keys[i]] += w->weights[i];
  }
  std::vector<std::pair<std::uint64_t, float>> sorted(sum.begin(), sum.end());
  std::sort(sorted.begin(), sorted.end());
  Weighted out;
  for (const auto& [key, weight] : sorted) out.add(key, weight);
  return out;
}

}  // namespace jszb::core
