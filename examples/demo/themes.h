// themes.h: 每月一题 in the demo. Two themes fitting the matters the generator
// plants (refunds from education companies and prepaid cards; property
// certificates), chosen for September 2021, and what they held in the week.
#ifndef JSZB_EXAMPLES_DEMO_THEMES_H
#define JSZB_EXAMPLES_DEMO_THEMES_H

#include <ostream>

#include "jszb/jszb.hpp"
#include "workload.h"

namespace demo {

// Defines the themes and their tasks, unless a store continued from an
// earlier run has them already.
void define_themes(const Workload& workload, jszb::Engine& engine);

// Each theme's requests in the week, and its tasks as they stand at its end.
void print_themes(std::ostream& out, const Workload& workload, jszb::Engine& engine);

}  // namespace demo

#endif  // JSZB_EXAMPLES_DEMO_THEMES_H
