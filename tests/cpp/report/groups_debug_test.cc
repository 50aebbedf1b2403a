#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <map>

#include "group_corpus.h"
namespace jszb::testing {
TEST(GroupsDebug, Print) {
  if (!std::getenv("GD")) GTEST_SKIP();
  std::size_t n = std::getenv("GN") ? std::atoi(std::getenv("GN")) : 6000;
  GroupCorpus corpus = make_group_corpus(n, std::getenv("GS") ? std::atoi(std::getenv("GS")) : 1);
  auto in = group_inputs(corpus);
  core::GroupOptions o;
  auto t0 = std::chrono::steady_clock::now();
  auto groups = core::find_groups(in, o);
  auto t1 = std::chrono::steady_clock::now();
  PairwiseScore s = score_groups(corpus, groups, 10);
  std::printf("%zu req, %zu matters, %zu groups, P %.3f R %.3f, %.1f ms\n", in.size(),
              corpus.matter_sizes.size(), groups.size(), s.precision, s.recall,
              std::chrono::duration<double, std::milli>(t1 - t0).count());
  int shown = 0;
  for (auto& g : groups) {
    std::map<int, int> per;
    for (auto id : g.cases) per[corpus.requests[id - 1].matter]++;
    std::printf("group %zu:", g.cases.size());
    for (auto [m, k] : per)
      std::printf(" %s=%d", m < 0 ? "none" : corpus.matter_labels[m].c_str(), k);
    std::printf("\n");
    if (std::getenv("GV") && per.count(-1) && per[-1] > 5 && shown++ < 3)
      for (auto id : g.cases)
        std::printf("   [%s] %s | %s\n", corpus.requests[id - 1].address.c_str(),
                    corpus.requests[id - 1].text.c_str(),
                    corpus.requests[id - 1].category2.c_str());
  }
  for (std::size_t m = 0; m < corpus.matter_sizes.size(); ++m) {
    std::map<std::size_t, int> where;
    for (std::size_t gi = 0; gi < groups.size(); ++gi)
      for (auto id : groups[gi].cases)
        if (corpus.requests[id - 1].matter == (int)m) where[gi]++;
    std::printf("matter %s size %zu:", corpus.matter_labels[m].c_str(), corpus.matter_sizes[m]);
    for (auto [g, k] : where) std::printf(" g%zu=%d", g, k);
    std::printf("\n");
    if (std::getenv("GM") && corpus.matter_labels[m].find(std::getenv("GM")) != std::string::npos)
      for (std::size_t i = 0; i < corpus.requests.size(); ++i)
        if (corpus.requests[i].matter == (int)m) {
          int gi = -1;
          for (std::size_t g = 0; g < groups.size(); ++g)
            for (auto id : groups[g].cases)
              if (id == i + 1) gi = g;
          std::printf("   g%d [%s] %s | %s %s\n", gi, corpus.requests[i].address.c_str(),
                      corpus.requests[i].text.c_str(), corpus.requests[i].street.c_str(),
                      corpus.requests[i].category2.c_str());
        }
  }
}
}  // namespace jszb::testing
#include "report/group_features.h"
namespace jszb::testing {
TEST(GroupsDebug, Pair) {
  if (!std::getenv("GP")) GTEST_SKIP();
  std::size_t n = std::getenv("GN") ? std::atoi(std::getenv("GN")) : 6000;
  GroupCorpus corpus = make_group_corpus(n, std::getenv("GS") ? std::atoi(std::getenv("GS")) : 1);
  auto in = group_inputs(corpus);
  auto f = core::describe(in, core::GroupOptions{});
  std::vector<std::size_t> a, b;
  for (std::size_t i = 0; i < in.size(); ++i) {
    int m = corpus.requests[i].matter;
    if (m < 0) continue;
    if (corpus.matter_labels[m].rfind(std::getenv("GP"), 0) == 0) a.push_back(i);
    if (std::getenv("GQ") && corpus.matter_labels[m].rfind(std::getenv("GQ"), 0) == 0)
      b.push_back(i);
  }
  for (std::size_t i : a)
    std::printf("place %zu keys total %.2f words %zu | %s\n", f[i].place.keys.size(),
                f[i].place.total, f[i].words.keys.size(), corpus.requests[i].address.c_str());
  for (std::size_t i : a)
    for (std::size_t j : b) {
      double jp = core::weighted_jaccard(f[i].place, f[j].place);
      if (jp >= 0.6)
        std::printf("%.2f [%s|%s] [%s|%s]\n", jp, corpus.requests[i].address.c_str(),
                    corpus.requests[i].text.c_str(), corpus.requests[j].address.c_str(),
                    corpus.requests[j].text.c_str());
    }
}
}  // namespace jszb::testing
namespace jszb::testing {
TEST(GroupsDebug, Py) {
  if (!std::getenv("GPY")) GTEST_SKIP();
  std::vector<std::string> w = {"望京西园三区楼下的槐树生了很多虫子，掉得到处都是",
                                "望京西园三区槐树上虫子很多，请来打药",
                                "西园三区的槐树长虫了，虫子掉在身上",
                                "望京西园三区树上虫子太多了，希望治理",
                                "槐树虫害严重，望京西园三区，请园林部门处理",
                                "望京西园三区槐树有虫，掉到行人身上",
                                "西园三区门口槐树虫子多，请尽快打药",
                                "望京西园三区的树生虫了，虫子满地",
                                "望京西园三区槐树虫子掉下来吓到孩子",
                                "请处理望京西园三区槐树上的虫子",
                                "望京西园三区槐树虫害，已经好几天了"};
  std::vector<core::GroupInput> in;
  for (std::size_t i = 0; i < w.size(); ++i)
    in.push_back({i + 1, "朝阳区", "朝阳区", "望京街道", "城乡建设", "园林绿化", w[i], ""});
  auto f = core::describe(in, core::GroupOptions{});
  for (std::size_t i = 0; i < w.size(); ++i) {
    std::printf("%zu words %zu:", i, f[i].words.keys.size());
    for (std::size_t j = 0; j < w.size(); ++j)
      std::printf(" %.2f", core::weighted_jaccard(f[i].words, f[j].words));
    std::printf("\n");
  }
}
}  // namespace jszb::testing
