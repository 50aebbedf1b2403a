// Runs a fuzz target's LLVMFuzzerTestOneInput on files, without libFuzzer: the
// normal test builds (GCC, and ASan) replay every corpus this way, seeds and
// the inputs of past findings alike (tests/CMakeLists.txt, fuzz_corpus_*).
//
// Usage: jszb_fuzz_replay_TARGET FILE|DIR... (a directory: its files).
#include <dirent.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

std::vector<std::string> files_of(const std::string& path) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0) return {};
  if (!S_ISDIR(st.st_mode)) return {path};
  std::vector<std::string> out;
  if (DIR* d = opendir(path.c_str())) {
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      std::vector<std::string> inner = files_of(path + "/" + name);
      out.insert(out.end(), inner.begin(), inner.end());
    }
    closedir(d);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t runs = 0;
  for (int i = 1; i < argc; ++i) {
    std::vector<std::string> files = files_of(argv[i]);
    if (files.empty()) {
      std::fprintf(stderr, "%s: no such file, or an empty directory\n", argv[i]);
      return 1;
    }
    for (const std::string& f : files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream bytes;
      bytes << in.rdbuf();
      std::string data = bytes.str();
      std::fprintf(stderr, "%s (%zu bytes)\n", f.c_str(), data.size());
      LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(data.data()), data.size());
      ++runs;
    }
  }
  std::printf("%zu inputs ran without a finding\n", runs);
  return 0;
}
