// Asio's SSL layer, compiled once (BOOST_ASIO_SEPARATE_COMPILATION, as core/asio.cpp does
// for the rest of Asio).
#include <boost/asio/ssl/impl/src.hpp>
