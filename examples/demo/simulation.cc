#include "simulation.h"

#include <queue>
#include <utility>

namespace demo {

namespace {

// One due step: step 0 is request `request`'s submission, step k its script's
// command k-1.
struct Due {
  Ms time;
  std::uint64_t seq;  // order of scheduling: breaks ties, so the order is total
  std::uint32_t request;
  std::uint32_t step;
};
struct Later {
  bool operator()(const Due& a, const Due& b) const {
    return a.time != b.time ? a.time > b.time : a.seq > b.seq;
  }
};

std::string describe(const jszb::Error& e) {
  std::string s = e.what();
  if (e.refusal() != jszb::Refusal::kNone) {
    const char* refusal = jszb_refusal_name(static_cast<int>(e.refusal()));
    s += " [state ";
    s += std::string(jszb::name(e.state()));
    s += ", refusal ";
    s += refusal ? refusal : "?";
    s += "]";
  }
  return s;
}

}  // namespace

Simulation::Simulation(jszb::Engine& engine, const Workload& workload)
    : engine_(engine), workload_(workload), case_ids_(workload.size(), 0) {}

SimulationStats Simulation::run(const DayEnd& on_day_end) {
  SimulationStats stats;
  std::priority_queue<Due, std::vector<Due>, Later> heap;
  std::uint64_t seq = 0;
  for (std::size_t i = 0; i < workload_.size(); ++i) {
    heap.push({workload_.arrival(i).time, seq++, static_cast<std::uint32_t>(i), 0});
  }
  // Scripts of the cases under way, made when the case is submitted and
  // released when it is done.
  std::vector<std::vector<Step>> scripts(workload_.size());

  const Ms end = workload_.end();
  int day = 0;  // the day whose end comes next
  while (!heap.empty() && heap.top().time < end) {
    Due due = heap.top();
    heap.pop();
    while (due.time >= workload_.start() + (day + 1) * kDay) on_day_end(day++);

    std::vector<Step>& script = scripts[due.request];
    if (due.step == 0) {
      jszb::Request request = workload_.request(due.request);
      bool created = false;
      try {
        case_ids_[due.request] = engine_.submit(request, &created);
      } catch (const jszb::Error& e) {
        throw GeneratorBug("the engine refused request #" + std::to_string(due.request + 1) +
                           " (" + request.channel_ref + ") at " + format_date_time(due.time) +
                           ": " + describe(e));
      }
      if (!created) {
        throw GeneratorBug("request #" + std::to_string(due.request + 1) + " (" +
                           request.channel_ref + ") was taken for a resubmission");
      }
      ++stats.submissions;
      script = workload_.script(due.request);
    } else {
      Step& step = script[due.step - 1];
      jszb::Command& cmd = step.command;
      cmd.case_id = case_ids_[due.request];
      if (step.other_request >= 0) cmd.other_case = case_ids_[step.other_request];
      try {
        engine_.apply(cmd);
      } catch (const jszb::Error& e) {
        throw GeneratorBug("the engine refused " + std::string(jszb::name(cmd.kind)) +
                           " (step " + std::to_string(due.step) + " of " +
                           std::to_string(script.size()) + ") on case " +
                           std::to_string(cmd.case_id) + " (request #" +
                           std::to_string(due.request + 1) + ") at " +
                           format_date_time(cmd.time) + ": " + describe(e));
      }
      ++stats.commands;
    }
    if (due.step < script.size()) {
      heap.push({script[due.step].command.time, seq++, due.request, due.step + 1});
    } else {
      std::vector<Step>().swap(script);  // done: free it
    }
  }
  while (day < workload_.days()) on_day_end(day++);

  stats.cases_unfinished = heap.size();
  while (!heap.empty()) {
    const Due& due = heap.top();
    stats.steps_after_end += scripts[due.request].size() - (due.step - 1);
    heap.pop();
  }
  return stats;
}

}  // namespace demo
