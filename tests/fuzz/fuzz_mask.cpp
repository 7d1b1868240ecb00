// --mask's stream masker on any output: a value never comes out whole, however the output is
// cut into reads; and cutting it changes nothing (two reads give what one read gives).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "resolver/masker.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 3) return 0;
  // The first byte cuts the rest into a value and the output; the second says where the
  // second read starts.
  std::string_view rest(reinterpret_cast<const char*>(data) + 2, size - 2);
  std::size_t split = data[0] % rest.size();
  std::string value(rest.substr(0, split));
  std::string_view text = rest.substr(split);
  std::size_t cut = text.empty() ? 0 : data[1] % (text.size() + 1);

  mcpl::stream_masker whole({value});
  std::string one = whole.feed(text) + whole.flush();
  mcpl::stream_masker parts({value});
  std::string two = parts.feed(text.substr(0, cut));
  two += parts.feed(text.substr(cut));
  two += parts.flush();
  if (one != two) std::abort();
  if (value.size() >= 4 && value.find('*') == std::string::npos &&
      one.find(value) != std::string::npos)
    std::abort();
  return 0;
}
