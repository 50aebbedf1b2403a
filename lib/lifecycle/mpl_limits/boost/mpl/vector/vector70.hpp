// mpl::vector70: Boost.MPL ships numbered vectors up to 50; the lifecycle's
// transition table (lifecycle.cc) has more rows. With preprocessed headers off
// (lifecycle.cc defines BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS), MPL builds its
// numbered vectors by preprocessor iteration over aux_/numbered.hpp: this asks
// it for the sizes 61..70 the same way. Found on the include path only
// by jszb_lifecycle (lib/CMakeLists.txt).
#ifndef JSZB_MPL_VECTOR70_HPP
#define JSZB_MPL_VECTOR70_HPP

#include <boost/mpl/vector/vector60.hpp>

#ifndef BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS
#error "mpl::vector70 needs BOOST_MPL_CFG_NO_PREPROCESSED_HEADERS"
#endif

#include <boost/preprocessor/iterate.hpp>

namespace boost {
namespace mpl {
// The header name in the macro stays as written (clang-format would space it).
// clang-format off
#define BOOST_PP_ITERATION_PARAMS_1 (3, (61, 70, <boost/mpl/vector/aux_/numbered.hpp>))
#include BOOST_PP_ITERATE()
// clang-format on
}  // namespace mpl
}  // namespace boost

#endif  // JSZB_MPL_VECTOR70_HPP
