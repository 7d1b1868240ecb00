// The bridge's stream parsers on anything a server or client could send: no crash, and the
// same events and lines however the bytes are cut into reads (checked against one read).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "bridge/framing.hpp"
#include "bridge/sse.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::size_t cut = data[0] % size;  // the first byte says where the second read starts
  std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  cut = std::min(cut, text.size());

  mcpl::sse_parser whole;
  auto expected = whole.feed(text);
  mcpl::sse_parser split;
  auto got = split.feed(text.substr(0, cut));
  auto rest = split.feed(text.substr(cut));
  got.insert(got.end(), rest.begin(), rest.end());
  if (got.size() != expected.size() || whole.last_event_id() != split.last_event_id() ||
      whole.retry() != split.retry())
    std::abort();
  for (std::size_t i = 0; i < got.size(); ++i)
    if (got[i].data != expected[i].data || got[i].type != expected[i].type ||
        got[i].id != expected[i].id)
      std::abort();

  mcpl::line_reader a(64), b(64);
  auto lines = a.feed(text);
  auto first = b.feed(text.substr(0, cut));
  auto second = b.feed(text.substr(cut));
  first.insert(first.end(), second.begin(), second.end());
  if (lines.size() != first.size() || a.finish() != b.finish()) std::abort();
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].ok() != first[i].ok()) std::abort();
    if (lines[i].ok() && *lines[i] != *first[i]) std::abort();
  }
  // What goes to stdout is one line, or nothing.
  auto framed = mcpl::frame_line(text);
  if (framed.ok() && (framed->empty() || framed->find('\n') != framed->size() - 1)) std::abort();
  return 0;
}
