// mpl::vector80: Boost.MPL ships numbered vectors up to 50; the lifecycle's
// transition table (lifecycle.cc) has more rows. With preprocessed headers off
// (lifecycle.cc defines BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS), MPL builds its
// numbered vectors by preprocessor iteration over aux_/numbered.hpp: this asks
// it for the sizes 71..80 the same way. Found on the include path only
// by jszb_lifecycle (lib/CMakeLists.txt).
#ifndef JSZB_MPL_VECTOR80_HPP
#define JSZB_MPL_VECTOR80_HPP

#include <boost/mpl/vector/vector70.hpp>

#ifndef BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#error "mpl::vector80 needs BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS"
#endif

#include <boost/preprocessor/iterate.hpp>

namespace boost {
namespace mpl {
// The header name in the macro stays as written (clang-format would space it).
// clang-format off
#define BOOST_PP_ITERATION_PARAMS_1 (3, (71, 80, <boost/mpl/vector/aux_/numbered.hpp>))
#include BOOST_PP_ITERATE()
// clang-format on
}  // namespace mpl
}  // namespace boost

#endif  // JSZB_MPL_VECTOR80_HPP
